package synth

import "math/rand/v2"

// Surnames common in Jiangxi, roughly most frequent first.
var surnames = []string{
	"刘", "李", "王", "张", "陈", "黄", "吴", "胡", "杨", "曾", "罗", "肖", "邹",
	"周", "徐", "朱", "熊", "彭", "邓", "钟", "谢", "万", "余", "郭", "何", "赖",
	"廖", "宋", "魏", "许", "温", "丁", "程", "汪", "蔡", "黎", "涂", "付", "江",
	"易", "袁", "欧阳",
}

// Given-name characters by sex.
var (
	maleChars = []string{
		"伟", "强", "军", "平", "明", "华", "建", "国", "文", "辉", "林", "海",
		"春", "生", "根", "福", "荣", "发", "勇", "斌", "志", "云", "金", "水",
		"宇", "浩", "俊", "杰", "涛", "鹏", "新", "良", "德", "贵", "有", "长",
	}
	femaleChars = []string{
		"芳", "英", "秀", "兰", "华", "玲", "珍", "梅", "红", "萍", "丽", "霞",
		"燕", "娟", "琴", "凤", "莲", "桂", "娇", "敏", "静", "婷", "雪", "慧",
		"欣", "怡", "佳", "琳", "月", "春", "花", "香", "妹", "秋", "菊", "淑",
	}
)

// surname draws a surname, the frequent ones more often.
func surname(r *rand.Rand) string {
	// The square of a uniform favours the front of the list.
	u := r.Float64()
	return surnames[int(u*u*float64(len(surnames)))]
}

// fullName builds a name of one or two given characters after the surname.
func fullName(r *rand.Rand, family string, male bool) string {
	chars := femaleChars
	if male {
		chars = maleChars
	}
	name := family + chars[r.IntN(len(chars))]
	if r.IntN(10) < 7 {
		name += chars[r.IntN(len(chars))]
	}
	return name
}
