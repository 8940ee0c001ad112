package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// pdfTimeout bounds starting chromium and printing one report.
const pdfTimeout = 2 * time.Minute

// BrowserContext starts headless chromium (the given binary) with a fresh
// profile directory and no network services of its own, and returns a
// chromedp context on a new tab; cancel stops the browser and removes the
// profile.
func BrowserContext(ctx context.Context, chromium string) (context.Context, context.CancelFunc, error) {
	profile, err := os.MkdirTemp("", "zengshou-chromium-")
	if err != nil {
		return nil, nil, fmt.Errorf("making a chromium profile directory: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 1800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelTab := chromedp.NewContext(actx)
	return bctx, func() {
		cancelTab()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}, nil
}

// PrintPDF loads the HTML report in headless chromium, waits for its charts
// and prints it to an A4 PDF (the page's own @page margins and breaks).
func PrintPDF(ctx context.Context, chromium, htmlPath, pdfPath string) error {
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	bctx, stop, err := BrowserContext(ctx, chromium)
	if err != nil {
		return err
	}
	defer stop()
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", htmlPath, err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.CSS("body[data-charts]"))); err != nil {
		return fmt.Errorf("loading %s in %s: %w", htmlPath, chromium, err)
	}
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground()))
	if err != nil {
		return fmt.Errorf("printing %s to PDF with %s: %w", htmlPath, chromium, err)
	}
	return writeFile(pdfPath, pdf)
}
