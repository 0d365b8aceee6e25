// English and Chinese labels. The articles this project follows are Chinese (Su Jianlin's posts on kexue.fm);
// the terms are theirs.
const STRINGS = {
  en: {
    title: 'explore', export: 'Export:',
    keys: 'Keys: 1–7 views · ←/→ on the tabs · Tab and arrows move controls',
    footer: 'Every number on this page comes from /api/: posenc-core computes it (the lab view reads posenc lab\'s'
      + ' lab.json) — the page draws, it computes nothing. The same code paths answer posenc inspect, verify and report.',
    'clock.tab': 'RoPE clock', 'clock.title': 'RoPE as clock hands',
    'clock.intro': 'RoPE (RoFormer, arXiv:2104.09864) turns each pair i of a query at position m by mθᵢ and of a key'
      + ' at position n by nθᵢ, θᵢ = base^(−2i/d); the score depends on m − n only. With d = 8 the vectors are those'
      + ' of Su Jianlin\'s RoPE survey (NumPy seed 42), and the table below is its step-by-step table.',
    'ctl.d': 'head dim d', 'ctl.base': 'base (rope_theta)', 'ctl.m': 'query position m', 'ctl.n': 'key position n',
    'ctl.play': '▶ play m (space)', 'ctl.pause': '❚❚ pause (space)',
    'clock.score': 'score ⟨R_m q, R_n k⟩', 'clock.relative': 'same score as ⟨q, R_(n−m) k⟩',
    'clock.norm': '|q| before / after rotation', 'clock.dial': 'pair', 'clock.share': 'share of the score',
    'score.term': 'score', 'score.def': 'The dot product of the rotated query and key; each dial\'s share is its'
      + ' pair\'s two terms. Blue hand: Rₘq, red hand: Rₙk; the angle between them changes by (m − n)θᵢ.',
    'decay.tab': 'Long-range decay', 'decay.title': 'Long-range decay: which metric?',
    'decay.intro': 'Does the RoPE score decay with distance? It depends on what is measured. RoFormer\'s bound'
      + ' decays and never reaches 0; a random query against itself decays slowly and noisily; a query fitted to decay inside the training'
      + ' length rises again past it under Llama 3.1\'s base 500000, and keeps decaying under a raised base'
      + ' 8000000 (Su Jianlin, on Llama 3.1\'s base).',
    'ctl.bases': 'bases (comma-separated)', 'ctl.max': 'largest distance', 'ctl.scale': 'distance axis',
    'ctl.metric': 'metric', 'ctl.train': 'training length of the fitted pair', 'ctl.addbase': 'last base of the list (log slider)',
    'metric.bound': 'RoFormer bound', 'metric.random': 'random q·q mean', 'metric.fitted': 'fitted pair',
    'decay.distance': 'relative distance m', 'decay.firstzero': 'first zero',
    'bound.term': 'RoFormer bound', 'bound.def': '(1/(d/2)) Σⱼ |Sⱼ| with Sⱼ = Σ_{i<j} e^{i m θᵢ}: the upper bound of'
      + ' RoFormer §3.4.3 (its Fig. 2). Never below 0.',
    'random.term': 'random q·q mean', 'random.def': 'Mean of ⟨R_m q, R_0 q⟩ / |q|² over 64 Gaussian q: the score of a'
      + ' token with itself m positions away.',
    'fitted.term': 'fitted pair', 'fitted.def': '⟨R_m q, R_0 k⟩ of a query fitted (ridge least squares) so that its'
      + ' score under the first base follows 1/(1 + m/1000) below the training length; scored unchanged under every'
      + ' base (or scaling method, its attention_scaling included: YaRN starts above 1).',
    'firstzero.term': 'first zero', 'firstzero.def': 'The first distance where a curve is ≤ 0 (first sign change on'
      + ' the plotted grid, refined to the integer by bisection).',
    'model.tab': 'A real model', 'model.title': 'A real model\'s RoPE',
    'model.intro': 'Pick a bundled config or load your own config.json: the frequency bands its rope_type makes'
      + ' (kept, blended, interpolated), the wavelengths against the original and the extended context, and the'
      + ' attention scaling, for a pass of seq_len tokens (0: at initialisation) — exactly posenc inspect --json.',
    'ctl.model': 'model', 'ctl.compare': 'compare with', 'ctl.seqlen': 'seq_len (0: at initialisation)',
    'ctl.upload': 'load config.json', 'none': '(none)', 'model.uploaded': 'uploaded',
    'model.wavelength': 'wavelength 2π/inv_freq (tokens)', 'model.pair': 'pair i',
    'model.original': 'original context', 'model.extended': 'extended context',
    'band.term': 'bands', 'band.def': 'kept: the pair\'s wavelength is short against the original context, its'
      + ' frequency unchanged; interpolated: long, divided by the factor; blended: in between (YaRN\'s ramp, Llama 3\'s'
      + ' smoothing).',
    'shuffle.tab': 'Shuffle demo', 'shuffle.title': 'Attention alone cannot tell the order',
    'shuffle.intro': 'Drag the tokens (or focus one and press ← / →, or shuffle). Without a positional encoding each'
      + ' token\'s attention output moves with it: the layer is permutation-equivariant, so 我爱你 and 你爱我 give the'
      + ' same outputs in another order. Switch an encoding on and the outputs change.',
    'ctl.tokens': 'tokens (comma-separated)', 'ctl.encoding': 'encoding', 'ctl.shuffle': 'shuffle (s)',
    'ctl.reset': 'original order (r)',
    'shuffle.shuffledOrder': 'outputs in the shuffled order', 'shuffle.originalOrder': 'outputs in the original order',
    'shuffle.none': 'no encoding', 'shuffle.with': 'with', 'shuffle.diff': 'max |output − its token\'s output in the'
      + ' original order|',
    'equivariance.term': 'difference', 'equivariance.def': 'max over positions t and channels of |outₜ − out⁰_{order[t]}|:'
      + ' the output at position t against the output the same token had in the original order (float32 ulps in'
      + ' brackets). 0 up to rounding means the layer did not see the order.',
    'extension.tab': 'Context extension', 'extension.title': 'Context extension past the training length',
    'extension.intro': 'PI, NTK-aware, dynamic NTK, YaRN and Llama 3 at a chosen factor: what each does to every'
      + ' frequency pair (ratio to the unscaled inv_freq), and the score of a query/key pair fitted to decay inside'
      + ' the training length, out to 4× it. LongRoPE\'s factors are searched per model: see the LongRoPE config in'
      + ' A real model.',
    'ctl.context': 'training length', 'ctl.factor': 'factor', 'ctl.show': 'show',
    'extension.ratio': 'inv_freq / unscaled inv_freq', 'extension.score': 'score of the fitted pair',
    'ratio.term': 'ratio', 'ratio.def': '1: the pair is kept; 1/factor: interpolated (PI divides every pair).',
    'bias.tab': 'Biases', 'bias.title': 'Relative biases over query × key',
    'bias.intro': 'ALiBi (arXiv:2108.12409) adds −m_h (i − j) with one slope per head; T5 (arXiv:1910.10683) and'
      + ' DeBERTa (arXiv:2006.03654) map the relative position to log-spaced buckets, each bucket a learned bias; Shaw'
      + ' et al. (arXiv:1803.02155) clip it to ±k; KERPLE (arXiv:2205.09921) takes a kernel of |i − j|.',
    'ctl.kind': 'kind', 'ctl.heads': 'heads', 'ctl.style': 'slope rule', 'ctl.head': 'head', 'ctl.size': 'tokens',
    'ctl.buckets': 'buckets', 'ctl.maxdist': 'max_distance', 'ctl.causal': 'causal (decoder)',
    'ctl.maxrel': 'max_relative_positions', 'ctl.clip': 'clipping distance k', 'ctl.kernel': 'kernel',
    'bias.query': 'query position i', 'bias.key': 'key position j', 'bias.slopes': 'slopes m_h',
    'lab.tab': 'Lab results', 'lab.title': 'The lab\'s results',
    'lab.intro': 'What posenc lab measured when it trained small byte-level models with each encoding: validation'
      + ' perplexity per encoding, and perplexity past the training length. Start with --lab DIR (default lab-out/).',
    'lab.ranking': 'validation perplexity (mean ± std over seeds)', 'lab.extrapolation': 'perplexity by evaluation length',
    'lab.evallen': 'evaluation length (tokens)', 'lab.ppl': 'perplexity', 'lab.dir': 'folder',
    'lab.none': 'No lab results: run posenc lab, then posenc explore --lab DIR',
    'lab.term': 'gaps', 'lab.def': 'A missing point is a length the encoding cannot run at (a learned table ends at'
      + ' its length).',
    'bucket.term': 'cell', 'bucket.def': 'ALiBi: the bias added to the logit (grey: masked). T5: bucket of j − i.'
      + ' DeBERTa: bucket of i − j. Shaw: clipped j − i. KERPLE: the bias.',
  },
  zh: {
    title: '探索', export: '导出：',
    keys: '键盘：1–7 切换视图 · 标签上 ←/→ · Tab 与方向键操作控件',
    footer: '本页每个数字都来自 /api/：由 posenc-core 计算（实验结果视图读取 posenc lab 的 lab.json）——页面只负责绘制，不做任何计算。posenc inspect、verify 与 report 使用同一套代码。',
    'clock.tab': 'RoPE 时钟', 'clock.title': '把 RoPE 看成时钟的指针',
    'clock.intro': 'RoPE（RoFormer，arXiv:2104.09864）把位置 m 处 query 的第 i 对分量旋转 mθᵢ，位置 n 处 key 旋转 nθᵢ，'
      + 'θᵢ = base^(−2i/d)；得分只取决于 m − n。d = 8 时向量取自苏剑林的 RoPE 综述（NumPy 种子 42），下表即其中的逐步计算表。',
    'ctl.d': '头维度 d', 'ctl.base': '底数 (rope_theta)', 'ctl.m': 'query 位置 m', 'ctl.n': 'key 位置 n',
    'ctl.play': '▶ 播放 m（空格）', 'ctl.pause': '❚❚ 暂停（空格）',
    'clock.score': '得分 ⟨R_m q, R_n k⟩', 'clock.relative': '同一得分 ⟨q, R_(n−m) k⟩',
    'clock.norm': '旋转前 / 后的 |q|', 'clock.dial': '第', 'clock.share': '得分份额',
    'score.term': '得分', 'score.def': '旋转后 query 与 key 的点积；每个表盘贡献其分量对的两项。蓝针：Rₘq，红针：Rₙk；两针夹角随 (m − n)θᵢ 变化。',
    'decay.tab': '远程衰减', 'decay.title': '远程衰减：用哪个指标？',
    'decay.intro': 'RoPE 的得分会随距离衰减吗？取决于衡量方式。RoFormer 的上界会衰减但永不为 0；随机 query 与自身的得分缓慢且带噪声地衰减；'
      + '在训练长度内拟合为衰减的 query，在 Llama 3.1 的底数 500000 下超出训练长度后会回升，而把底数提高到 8000000 则继续衰减（苏剑林关于 Llama 3.1 底数的文章）。',
    'ctl.bases': '底数（逗号分隔）', 'ctl.max': '最大距离', 'ctl.scale': '距离坐标', 'ctl.metric': '指标',
    'ctl.train': '拟合对的训练长度', 'ctl.addbase': '列表中最后一个底数（对数滑块）',
    'metric.bound': 'RoFormer 上界', 'metric.random': '随机 q·q 均值', 'metric.fitted': '拟合的 q/k 对',
    'decay.distance': '相对距离 m', 'decay.firstzero': '首个零点',
    'bound.term': 'RoFormer 上界', 'bound.def': '(1/(d/2)) Σⱼ |Sⱼ|，Sⱼ = Σ_{i<j} e^{i m θᵢ}：RoFormer 第 3.4.3 节的上界（其图 2）。恒不小于 0。',
    'random.term': '随机 q·q 均值', 'random.def': '64 个高斯随机 q 的 ⟨R_m q, R_0 q⟩ / |q|² 均值：同一 token 与相距 m 的自身的得分。',
    'fitted.term': '拟合的 q/k 对', 'fitted.def': '⟨R_m q, R_0 k⟩，其中 q 用岭回归拟合，使其在第一个底数下、训练长度内的得分服从 1/(1 + m/1000)；在每个底数（或缩放方法，含其 attention_scaling：YaRN 从 1 以上开始）下原样计算。',
    'firstzero.term': '首个零点', 'firstzero.def': '曲线首次 ≤ 0 的距离（绘图网格上的首次变号，再用二分法精确到整数）。',
    'model.tab': '真实模型', 'model.title': '真实模型的 RoPE',
    'model.intro': '选择内置配置或载入你自己的 config.json：其 rope_type 形成的频段（保持、混合、内插），波长与原始及扩展上下文的对比，'
      + '以及注意力缩放，针对长度为 seq_len 的前向（0：初始化时）——与 posenc inspect --json 完全一致。',
    'ctl.model': '模型', 'ctl.compare': '对比', 'ctl.seqlen': 'seq_len（0：初始化时）', 'ctl.upload': '载入 config.json',
    'none': '（无）', 'model.uploaded': '已上传',
    'model.wavelength': '波长 2π/inv_freq（token）', 'model.pair': '分量对 i',
    'model.original': '原始上下文', 'model.extended': '扩展上下文',
    'band.term': '频段', 'band.def': '保持：波长相对原始上下文很短，频率不变；内插：波长很长，频率除以倍数；混合：介于两者之间（YaRN 的斜坡、Llama 3 的平滑）。',
    'shuffle.tab': '打乱演示', 'shuffle.title': '仅靠注意力分不清顺序',
    'shuffle.intro': '拖动 token（或聚焦后按 ← / →，或打乱）。没有位置编码时，每个 token 的注意力输出随它移动：该层是置换等变的，'
      + '所以「我爱你」与「你爱我」的输出相同，只是顺序不同。打开一种编码，输出就变了。',
    'ctl.tokens': 'token（逗号分隔）', 'ctl.encoding': '编码', 'ctl.shuffle': '打乱（s）', 'ctl.reset': '原始顺序（r）',
    'shuffle.shuffledOrder': '打乱后顺序的输出', 'shuffle.originalOrder': '原始顺序的输出',
    'shuffle.none': '无编码', 'shuffle.with': '使用', 'shuffle.diff': 'max |输出 − 该 token 在原始顺序下的输出|',
    'equivariance.term': '差异', 'equivariance.def': '对位置 t 与通道取最大的 |outₜ − out⁰_{order[t]}|：位置 t 的输出与同一 token 在原始顺序下的输出之差（括号内为 float32 ulp）。在舍入误差内为 0 表示该层没有看到顺序。',
    'extension.tab': '上下文扩展', 'extension.title': '超出训练长度的上下文扩展',
    'extension.intro': 'PI、NTK-aware、动态 NTK、YaRN 与 Llama 3 在给定倍数下：各自对每个频率分量对做了什么（与未缩放 inv_freq 之比），'
      + '以及在训练长度内拟合为衰减的 q/k 对直到 4 倍长度的得分。LongRoPE 的因子按模型搜索得到：见「真实模型」中的 LongRoPE 配置。',
    'ctl.context': '训练长度', 'ctl.factor': '倍数', 'ctl.show': '显示',
    'extension.ratio': 'inv_freq / 未缩放 inv_freq', 'extension.score': '拟合对的得分',
    'ratio.term': '比值', 'ratio.def': '1：该分量对保持不变；1/倍数：内插（PI 对每一对都做除法）。',
    'bias.tab': '偏置', 'bias.title': 'query × key 上的相对偏置',
    'bias.intro': 'ALiBi（arXiv:2108.12409）对每个头加上 −m_h (i − j)；T5（arXiv:1910.10683）与 DeBERTa（arXiv:2006.03654）把相对位置映射到对数间隔的桶，每个桶一个可学习偏置；Shaw 等（arXiv:1803.02155）把它截断到 ±k；KERPLE（arXiv:2205.09921）对 |i − j| 取核函数。',
    'ctl.kind': '类型', 'ctl.heads': '头数', 'ctl.style': '斜率规则', 'ctl.head': '头', 'ctl.size': 'token 数',
    'ctl.buckets': '桶数', 'ctl.maxdist': 'max_distance', 'ctl.causal': '因果（解码器）',
    'ctl.maxrel': 'max_relative_positions', 'ctl.clip': '截断距离 k', 'ctl.kernel': '核函数',
    'bias.query': 'query 位置 i', 'bias.key': 'key 位置 j', 'bias.slopes': '斜率 m_h',
    'lab.tab': '实验结果', 'lab.title': '实验（lab）的结果',
    'lab.intro': 'posenc lab 用每种编码训练小型字节级模型后测得的结果：每种编码的验证集困惑度，以及超出训练长度后的困惑度。启动时加 --lab DIR（默认 lab-out/）。',
    'lab.ranking': '验证集困惑度（各种子的均值 ± 标准差）', 'lab.extrapolation': '按评估长度的困惑度',
    'lab.evallen': '评估长度（token）', 'lab.ppl': '困惑度', 'lab.dir': '目录',
    'lab.none': '没有实验结果：先运行 posenc lab，再运行 posenc explore --lab DIR',
    'lab.term': '缺口', 'lab.def': '缺失的点表示该编码无法运行的长度（可学习位置表止于其长度）。',
    'bucket.term': '单元格', 'bucket.def': 'ALiBi：加到 logit 上的偏置（灰色：被遮蔽）。T5：j − i 的桶。DeBERTa：i − j 的桶。Shaw：截断后的 j − i。KERPLE：偏置值。',
  },
};

let lang = (navigator.language || 'en').startsWith('zh') ? 'zh' : 'en';

export function t(key) {
  return STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
}

export function language() {
  return lang;
}

export function setLanguage(l) {
  if (STRINGS[l]) lang = l;
}

/** Labels written in index.html (data-i18n) and the language buttons. */
export function applyStatic() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
  document.querySelectorAll('[data-lang]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
}
