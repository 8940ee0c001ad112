package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook.
const (
	SheetTargets   = "目标进度"
	SheetRanking   = "市县排名"
	SheetStructure = "收入结构"
	SheetLedger    = "数据比对台账"
	SheetActions   = "一户一策清单"
)

// Sheets lists the workbook's sheets in order.
var Sheets = []string{SheetTargets, SheetRanking, SheetStructure, SheetLedger, SheetActions}

// sheetSpec is one sheet: its header, column widths and rows.
type sheetSpec struct {
	name    string
	headers []string
	widths  []float64
	rows    func(emit func(...any) error) error
}

// styles are the workbook's cell styles.
type styles struct {
	header, pct, money, integer, text int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F3"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	pctFmt, moneyFmt := "0.0%", "#,##0.00"
	s.pct = mk(&excelize.Style{CustomNumFmt: &pctFmt})
	s.money = mk(&excelize.Style{CustomNumFmt: &moneyFmt})
	s.integer = mk(&excelize.Style{NumFmt: 3})
	s.text = mk(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s, err
}

// writeXLSX writes the workbook of the report to path.
func writeXLSX(r *Report, path string) error {
	f := excelize.NewFile()
	defer f.Close() //nolint:errcheck // closing releases the temporary files of the stream writers
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("making workbook styles: %w", err)
	}
	for i, spec := range sheetSpecs(r, st) {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", spec.name); err != nil {
				return fmt.Errorf("naming sheet %s: %w", spec.name, err)
			}
		} else if _, err := f.NewSheet(spec.name); err != nil {
			return fmt.Errorf("adding sheet %s: %w", spec.name, err)
		}
		if err := writeSheet(f, st, spec); err != nil {
			return fmt.Errorf("writing sheet %s: %w", spec.name, err)
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	sorted, err := sortZip(buf.Bytes())
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return writeFile(path, sorted)
}

// writeSheet streams one sheet: a frozen header row and a table over the
// rows (which gives the header its filter buttons).
func writeSheet(f *excelize.File, st styles, spec sheetSpec) error {
	sw, err := f.NewStreamWriter(spec.name)
	if err != nil {
		return err
	}
	for i, w := range spec.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	header := make([]any, len(spec.headers))
	for i, h := range spec.headers {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	row := 1
	err = spec.rows(func(values ...any) error {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, values)
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(spec.headers), max(row, 2))
	stripes := true
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(spec.name), StyleName: "TableStyleLight9",
		ShowRowStripes: &stripes}); err != nil {
		return err
	}
	return sw.Flush()
}

// tableName is an ASCII table name per sheet (Excel table names cannot be
// arbitrary).
func tableName(sheet string) string {
	for i, s := range Sheets {
		if s == sheet {
			return fmt.Sprintf("T%d", i+1)
		}
	}
	return "T0"
}

func (st styles) ratio(p *float64) any {
	if p == nil {
		return nil
	}
	return excelize.Cell{StyleID: st.pct, Value: *p}
}

func (st styles) value(v float64, unit string) any {
	switch unit {
	case "比例":
		return excelize.Cell{StyleID: st.pct, Value: v}
	case "元", "元/人":
		return excelize.Cell{StyleID: st.money, Value: v}
	}
	return excelize.Cell{StyleID: st.integer, Value: v}
}

func (st styles) opt(p *float64, unit string) any {
	if p == nil {
		return nil
	}
	return st.value(*p, unit)
}

func (st styles) yuan(d decimal.Decimal) any {
	f, _ := d.Float64()
	return excelize.Cell{StyleID: st.money, Value: f}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return ""
}

func sheetSpecs(r *Report, st styles) []sheetSpec {
	return []sheetSpec{
		{name: SheetTargets,
			headers: []string{"指标代码", "指标", "单位", "本期值", "年度目标", "完成进度", "序时进度要求", "差距", "上期值", "去年同期值", "数据完整", "落后"},
			widths:  []float64{30, 40, 8, 16, 16, 11, 16, 16, 16, 16, 10, 8},
			rows: func(emit func(...any) error) error {
				for _, t := range r.Targets {
					linear := t.Target
					if t.Cumulative {
						linear = t.Linear
					}
					if err := emit(t.Code, t.Title, t.Unit, st.value(t.Value, t.Unit), st.opt(t.Target, t.Unit), st.ratio(t.Progress),
						st.opt(linear, t.Unit), st.opt(t.Gap, t.Unit), st.opt(t.Prev, t.Unit), st.opt(t.PrevYear, t.Unit),
						yesNo(t.Complete), yesNo(t.Lagging)); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: SheetRanking,
			headers: []string{"层级", "排名", "区划代码", "名称", "所属市", "重点帮扶县", "收入比", "收入比目标", "人均纯收入(年化,元)", "超1万元比例",
				"务工就业人数", "零就业家庭", "帮扶产品销售额(元)", "高风险发现", "上期排名", "未达标", "后进"},
			widths: []float64{8, 6, 10, 16, 12, 10, 10, 10, 16, 11, 12, 10, 18, 10, 9, 8, 8},
			rows: func(emit func(...any) error) error {
				for _, set := range []struct {
					level string
					rows  []RankRow
				}{{"设区市", r.Cities}, {"县", r.Counties}} {
					for _, x := range set.rows {
						var prev any
						if x.PrevRank > 0 {
							prev = x.PrevRank
						}
						if err := emit(set.level, x.Rank, x.Code, x.Name, x.CityName, yesNo(x.KeyCounty), st.ratio(x.IncomeRatio), st.ratio(x.Target),
							st.opt(x.PerCapita, "元"), st.ratio(x.ShareAbove), st.value(x.Employed, "人"), st.value(x.ZeroEmployed, "户"),
							st.value(x.Sales, "元"), x.HighFindings, prev, yesNo(x.BelowTarget), yesNo(x.Bottom)); err != nil {
							return err
						}
					}
				}
				return nil
			}},
		{name: SheetStructure,
			headers: []string{"人群", "户数", "人口(家庭人口数)", "人均纯收入(年化,元)", "工资性收入", "经营净收入", "财产性收入", "转移性收入",
				"工资性占比", "经营净占比", "财产性占比", "转移性占比"},
			widths: []float64{26, 10, 14, 16, 14, 14, 14, 14, 11, 11, 11, 11},
			rows: func(emit func(...any) error) error {
				for _, s := range r.Structure {
					sh := func(d decimal.Decimal) any { v := s.Share(d); return st.ratio(&v) }
					if err := emit(s.Name, s.Households, s.Persons, st.yuan(s.Net), st.yuan(s.Wage), st.yuan(s.Business), st.yuan(s.Property),
						st.yuan(s.Transfer), sh(s.Wage), sh(s.Business), sh(s.Property), sh(s.Transfer)); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: SheetLedger,
			headers: []string{"设区市", "县区代码", "县（市、区）", "村级代码", "身份证号(脱敏)", "姓名(脱敏)", "规则代码", "规则", "严重程度", "说明"},
			widths:  []float64{10, 10, 14, 16, 22, 10, 28, 22, 9, 80},
			rows: func(emit func(...any) error) error {
				for _, x := range r.Ledger {
					if err := emit(x.CityName, x.CountyCode, x.County, x.Village, x.IDMasked, x.NameMasked, x.Rule, x.RuleName,
						severityName(x.Severity), x.Detail); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: SheetActions,
			headers: []string{"县区代码", "县（市、区）", "村级代码", "户主身份证号(脱敏)", "户主姓名(脱敏)", "户类型", "家庭人口数",
				"年化人均纯收入(元)", "工资性收入", "经营净收入", "财产性收入", "转移性收入", "未达1万元", "低于监测线", "零就业家庭",
				"列入原因", "建议措施"},
			widths: []float64{10, 14, 16, 22, 12, 12, 9, 16, 13, 13, 13, 13, 9, 9, 9, 40, 90},
			rows: func(emit func(...any) error) error {
				for _, x := range r.Actions {
					names := make([]string, len(x.Rules))
					for i, c := range x.Rules {
						names[i] = RuleName(c)
					}
					if err := emit(x.CountyCode, x.County, x.Village, x.IDMasked, x.NameMasked, x.HouseholdType, x.HouseholdSize,
						st.yuan(x.PerCapita), st.yuan(x.Wage), st.yuan(x.Business), st.yuan(x.Property), st.yuan(x.Transfer),
						yesNo(x.Below10K), yesNo(x.BelowLine), yesNo(x.ZeroEmployment),
						strings.Join(names, "；"), strings.Join(x.Measures, "；")); err != nil {
						return err
					}
				}
				return nil
			}},
	}
}

// sortZip rewrites a zip archive with its entries in name order (excelize
// writes its parts in map order), so that the same report gives the same
// bytes. The entries are copied raw, without recompressing.
func sortZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		h := f.FileHeader
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
