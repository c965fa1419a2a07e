/**
 * Words a partial may show even at its unsettled end: frequent call words that never occur inside
 * a PII span (no digits, connectors like "double"/"oh"/"at"/"dot"/"and"/"the", fillers, corrections,
 * month names, or common first names). Any other word in the last few positions of a partial is
 * held back, because the words still to come may make it part of an e-mail, an address or a name.
 * partial-hold-back.test.ts checks this list against every labelled span in the fixtures.
 */
export const SAFE_TAIL_WORDS_EN = new Set(
  `i'm i'd i'll i've me my mine you you're your yours we we're our us they their them he she his her it it's its
is am are was were be been being do does did done doing have has had having can could would should will shall must might
don't doesn't didn't can't won't isn't wasn't haven't hasn't couldn't wouldn't shouldn't
this that these those what which who whom whose where when why how there here
to in on for with from about into over under by as if so but or than too very just also only still even
want wanted need needed like would'd help helps know knew think thought see saw say said tell told ask asked call called calling
get got make made take took give gave go going went come came look looking check checked pay paid send sent
account accounts card cards balance payment payments transfer transfers loan loans fee fees charge charges statement
bank branch online app website login password pin address email phone mobile name birth date
problem issue question questions information details help support service customer agent manager supervisor
yes yeah yep right sure great good fine thanks thank please hello hi hey bye goodbye
today tomorrow yesterday morning afternoon evening week month year time
new old same other another some any all every each more most less much many few
really actually maybe probably already again now later soon`.split(/\s+/),
);

export const SAFE_TAIL_WORDS_ZH = new Set(
  `我 你 您 他 她 我们 你们 的 了 吗 呢 吧 啊 呀 好 好的 对 是的 不是 没有 有 在 想 需要 可以 能 会 请 请问 谢谢 麻烦 一下
这个 什么 怎么 为什么 哪里 还是 就 都 也 还 很 和 跟 给 帮 帮我 查 查询 办理 问 问题 账户 银行 信用卡 转账 余额 额度 手续费 客服 你好 喂
手机 手机号 号码 电话 卡号 账号 单号 订单号 工单号 编号 身份证 身份证号 邮箱 地址 名字 生日 密码`.split(/\s+/),
);

/**
 * Words that join the parts of a number, an e-mail or a date ("double", "at", "dot", "sorry … not",
 * "the third of may"). Next to a held-back word they are held back too, and they pull back the
 * (non-safe) words just before them: "sarah dot patel at" is an e-mail in the making.
 */
export const CONNECTOR_WORDS = new Set(
  `at dot underscore dash hyphen period point slash plus double triple oh o of the and um uh er erm ah hmm sorry not no wait mean then okay ok
  艾特 点 下划线 杠 横杠 不对 不是 嗯 呃 那个 然后 就是 是 年 月 日 号`.split(/\s+/).filter(Boolean),
);

/** How many words before a held-back connector are pulled back with it. */
export const CONNECTOR_REACH = 3;

/** Mandarin place words (…市, …区, …路, …号): part of an address whatever follows, so never shown in a partial. */
export const ZH_PLACE_WORD = /^.+(省|市|区|县|镇|乡|村|路|街|道|巷|弄|号|栋|幢|楼|室|单元|小区)$/;
