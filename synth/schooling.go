package synth

// School stages (学段), as indices into stageNames.
const (
	stagePre uint8 = iota
	stagePrimary
	stageJunior
	stageHigh
	stageVoc
	stageHigherVoc
	stageUni
)

var stageNames = []string{"学前教育", "小学", "初中", "普通高中", "中职", "高职", "本科", "研究生"}

// isVocational says whether a stage counts for VOCATIONAL_NEW_ENROLLMENT.
func isVocational(stage uint8) bool { return stage == stageVoc || stage == stageHigherVoc }

// Tracks: the road a child takes after junior middle school (初中).
const (
	trackLeave9    uint8 = iota // works after 初中
	trackHighUni                // 普通高中 then 本科
	trackHighVoc                // 普通高中 then 高职
	trackHighLeave              // 普通高中 then work
	trackVocVoc                 // 中职 then 高职
	trackVocLeave               // 中职 then work
)

// trackWeights are the shares of the tracks in a cohort.
var trackWeights = []float64{0.08, 0.22, 0.18, 0.12, 0.12, 0.28}

// Graduation destinations (毕业去向).
var destinationNames = []string{"就业", "升学", "待就业"}

const (
	destWork uint8 = iota
	destStudy
	destWaiting
)

// Hash tags for per-person education decisions.
const (
	hashGradMonth uint64 = iota + 100
	hashDest
	hashDestSwitch
	hashDestSwitchMonth
	hashAid
	hashSchool
)

// enrolment is one stage of a person's schooling.
type enrolment struct {
	stage uint8
	enrol month // 入学年月: September of the first school year
	// end is the first month without an 在读 row: the graduation month for
	// stages that report graduates, July for the others (no rows in summer).
	end month
	// reportsGrad stages (普通高中, 中职, 高职, 本科) keep appearing as 毕业
	// from the graduation month (end) to December.
	reportsGrad bool
	terminal    bool // the person leaves education after this stage
}

// enrolments lists the person's stages in order into out and returns how
// many there are. Primary school starts in the September after the sixth
// birthday.
func (p *person) enrolments(out *[5]enrolment) int {
	s := int(p.primary)
	gradMon := 6
	if hashUnit(p.seed, hashGradMonth, 0) >= 0.7 {
		gradMon = 7
	}
	n := 0
	add := func(stage uint8, startYear, years int, reports, terminal bool) {
		end := monthOf(startYear+years, 7)
		if reports {
			end = monthOf(startYear+years, gradMon)
		}
		out[n] = enrolment{stage: stage, enrol: monthOf(startYear, 9), end: end, reportsGrad: reports, terminal: terminal}
		n++
	}
	if p.preschool {
		add(stagePre, s-3, 3, false, false)
	}
	add(stagePrimary, s, 6, false, false)
	add(stageJunior, s+6, 3, false, p.track == trackLeave9)
	switch p.track {
	case trackHighUni:
		add(stageHigh, s+9, 3, true, false)
		add(stageUni, s+12, 4, true, true)
	case trackHighVoc:
		add(stageHigh, s+9, 3, true, false)
		add(stageHigherVoc, s+12, 3, true, true)
	case trackHighLeave:
		add(stageHigh, s+9, 3, true, true)
	case trackVocVoc:
		add(stageVoc, s+9, 3, true, false)
		add(stageHigherVoc, s+12, 3, true, true)
	case trackVocLeave:
		add(stageVoc, s+9, 3, true, true)
	}
	return n
}

// studentAt says whether the person is in school (or on summer holiday
// between two stages) in month m.
func (p *person) studentAt(m month) bool {
	var es [5]enrolment
	n := p.enrolments(&es)
	return es[0].enrol <= m && m < es[n-1].end
}

// destination is the 毕业去向 reported in month m for a graduation from
// stage e: 升学 when another stage follows, else 就业 or 待就业, where some
// of those waiting find work a few months later.
func (p *person) destination(e enrolment, m month) uint8 {
	if !e.terminal {
		return destStudy
	}
	if hashUnit(p.seed, hashDest, uint64(e.stage)) < 0.65 {
		return destWork
	}
	if hashUnit(p.seed, hashDestSwitch, uint64(e.stage)) < 0.5 && m >= p.workFound(e) {
		return destWork
	}
	return destWaiting
}

// workFound is the month a waiting graduate of stage e reports 就业.
func (p *person) workFound(e enrolment) month {
	return e.end + 2 + month(hashUnit(p.seed, hashDestSwitchMonth, uint64(e.stage))*4)
}

// graduateWorkStart returns the month from which a graduate of a terminal
// stage that reports graduates is employed, and false when the person never
// reports 就业.
func (p *person) graduateWorkStart() (month, bool) {
	var es [5]enrolment
	n := p.enrolments(&es)
	e := es[n-1]
	if !e.reportsGrad {
		return 0, false
	}
	if hashUnit(p.seed, hashDest, uint64(e.stage)) < 0.65 {
		return e.end, true
	}
	if hashUnit(p.seed, hashDestSwitch, uint64(e.stage)) < 0.5 {
		return p.workFound(e), true
	}
	return 0, false
}

// aidItem is one kind of student aid paid in given months of the year.
type aidItem struct {
	name   string
	months [2]int
	fen    int64
	share  float64 // share of students of the stage who receive it
}

// aidByStage is the aid schedule: paid in the term months (Mar/Apr,
// Sep/Oct/Nov), roughly at Jiangxi's published amounts per term.
var aidByStage = [][]aidItem{
	stagePre:       {{"生活补助", [2]int{4, 10}, 50000, 0.80}},
	stagePrimary:   {{"生活补助", [2]int{4, 10}, 50000, 0.85}},
	stageJunior:    {{"生活补助", [2]int{4, 10}, 62500, 0.85}},
	stageHigh:      {{"免学费", [2]int{3, 9}, 80000, 0.95}, {"国家助学金", [2]int{4, 10}, 100000, 0.85}},
	stageVoc:       {{"免学费", [2]int{3, 9}, 100000, 0.95}, {"国家助学金", [2]int{4, 11}, 100000, 0.85}, {"雨露计划", [2]int{4, 11}, 150000, 0.80}},
	stageHigherVoc: {{"国家助学金", [2]int{4, 10}, 165000, 0.80}, {"雨露计划", [2]int{4, 11}, 150000, 0.80}},
	stageUni:       {{"国家助学金", [2]int{4, 10}, 165000, 0.75}, {"其他", [2]int{9, 9}, 50000, 0.20}},
}

// Universities and vocational colleges of the province, for students who
// leave their county.
var (
	higherVocSchools = []string{"江西工业职业技术学院", "江西农业工程职业学院", "九江职业技术学院", "江西交通职业技术学院", "江西应用技术职业学院", "赣州职业技术学院", "江西科技职业学院", "上饶职业技术学院"}
	uniSchools       = []string{"南昌大学", "江西师范大学", "江西财经大学", "赣南师范大学", "井冈山大学", "华东交通大学", "江西农业大学", "九江学院", "宜春学院", "上饶师范学院"}
	localSchoolTails = [][]string{
		stagePre:     {"第一幼儿园", "第二幼儿园", "中心幼儿园", "实验幼儿园"},
		stagePrimary: {"第一小学", "第二小学", "实验小学", "中心小学", "第三小学"},
		stageJunior:  {"第一中学", "第二中学", "实验中学", "第三中学"},
		stageHigh:    {"第一中学", "第二中学", "中学"},
		stageVoc:     {"职业中等专业学校", "中等专业学校", "职业技术学校"},
	}
)

// schoolName returns the person's school at a stage: local schools are named
// after the county, colleges come from the provincial list.
func (p *person) schoolName(stage uint8, countyName string) (string, string) {
	u := hashUnit(p.seed, hashSchool, uint64(stage))
	switch stage {
	case stageHigherVoc:
		return higherVocSchools[int(u*float64(len(higherVocSchools)))], ""
	case stageUni:
		return uniSchools[int(u*float64(len(uniSchools)))], ""
	}
	tails := localSchoolTails[stage]
	return countyName, tails[int(u*float64(len(tails)))]
}
