// English and Chinese labels. The articles this project follows are Chinese (a survey "位置编码 (Position
// Encoding)", notes on RoPE, and notes after Su Jianlin's kexue.fm posts); the terms are theirs.
const STRINGS = {
  en: {
    title: 'explore', export: 'Export:',
    keys: 'Keys: 1–7 views · ←/→ on the tabs · Tab and arrows move controls',
    footer: 'Every number on this page comes from /api/: posenc-core computes it (the lab view reads posenc lab\'s'
      + ' lab.json) — the page draws, it computes nothing. The same code paths answer posenc inspect, verify and report.',
    'clock.tab': 'RoPE clock', 'clock.title': 'RoPE as clock hands',
    'clock.intro': 'RoPE (RoFormer, arXiv:2104.09864) turns each pair i of a query at position m by mθᵢ and of a key'
      + ' at position n by nθᵢ, θᵢ = base^(−2i/d); the score depends on m − n only. Drag a hand\'s knob (blue: query,'
      + ' sets m; red: key, sets n) or use the sliders. With d = 8 the vectors are those of the survey article'
      + ' "位置编码 (Position Encoding)" (2025-09-09; NumPy\'s randn, random state 42), and the table below is its'
      + ' step-by-step RoPE table.',
    'clock.query': 'query', 'clock.key': 'key',
    'clock.dragQ': 'drag: sets the query position m', 'clock.dragK': 'drag: sets the key position n',
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
      + ' 8000000 (the notes after Su Jianlin\'s "Transformer升级之路" posts on kexue.fm, on Llama 3.1\'s base).',
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
    'model.intro': 'Pick a bundled config or load your own config.json or GGUF file: the frequency bands its'
      + ' rope_type makes (kept, blended, interpolated), the wavelengths against the original and the extended'
      + ' context, and the attention scaling, for a pass of seq_len tokens (0: at initialisation) — exactly posenc'
      + ' inspect --json. A GGUF is read with llama.cpp\'s semantics at its context n_ctx (llama.cpp\'s --ctx); with a'
      + ' config.json in the other slot, the conversion audit lists the pairs llama.cpp and Hugging Face rotate'
      + ' differently.',
    'ctl.model': 'model', 'ctl.compare': 'compare with', 'ctl.seqlen': 'seq_len (config.json; 0: at initialisation)',
    'ctl.ctx': 'n_ctx (GGUF, llama.cpp --ctx; 0: the file\'s context_length)',
    'ctl.upload': 'load config.json or GGUF', 'none': '(none)', 'model.uploaded': 'uploaded',
    'model.ggufNote': 'A GGUF upload is read here up to {max} MiB: only its header and rope tensors matter, so'
      + ' vocab-only and converted files without weights are small. Inspect a multi-GB model file with'
      + ' posenc inspect MODEL.gguf [--ctx N] [--against config.json].',
    'model.tooLarge': '{file}: {size} bytes; a GGUF of at most {max} MiB is read here (a config.json: 1 MiB);'
      + ' inspect a larger model file with posenc inspect MODEL.gguf',
    'model.gguf': 'GGUF, read with llama.cpp\'s semantics', 'model.nctx': 'llama.cpp n_ctx',
    'model.factors': 'factor tensor',
    'model.audit': 'Conversion audit: {gguf} (llama.cpp at n_ctx {nctx}) against {hf} (Hugging Face) —'
      + ' the pairs the two rotate differently (frequencies more than 16 float ulps apart), as posenc inspect --against',
    'model.auditAgree': 'rotations agree on every pair', 'model.auditLegend': 'llama.cpp ≠ Hugging Face', 'model.notCarried': 'not carried', 'model.note': 'note',
    'model.wavelength': 'wavelength 2π/inv_freq (tokens)', 'model.pair': 'pair i',
    'model.original': 'original context', 'model.extended': 'extended context',
    'band.term': 'bands', 'band.def': 'kept: the pair\'s wavelength is short against the original context, its'
      + ' frequency unchanged; interpolated: long, divided by the factor; blended: in between (YaRN\'s ramp, Llama 3\'s'
      + ' smoothing).',
    'shuffle.tab': 'Shuffle demo', 'shuffle.title': 'Attention alone cannot tell the order',
    'shuffle.intro': 'Drag the tokens (or focus one and press ← / →, or shuffle). Without a positional encoding each'
      + ' token\'s attention output moves with it: the layer is permutation-equivariant, so 我爱你 and 你爱我 give the'
      + ' same outputs in another order. Switch an encoding on and the outputs change (the demo of the article'
      + ' "ROPE位置编码", 2025-06-24).',
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
      + ' the training length, out to 4× it. LongRoPE (Ding et al., arXiv:2402.13753) has no rule from a factor: its'
      + ' per-pair factors were searched for one model, so it is drawn with a bundled model\'s short_factor (passes'
      + ' up to the training length) or long_factor (longer passes); the factor only sets its attention_scaling.',
    'ctl.longrope': 'LongRoPE factors of', 'extension.longrope': 'LongRoPE',
    'extension.searched': 'factors searched for head_dim {h}, rope_theta {b}, {o} → {e} tokens ({f}×); this pass of'
      + ' {n} tokens uses {u}',
    'extension.notAdded': 'not drawn:',
    'ctl.context': 'training length', 'ctl.factor': 'factor', 'ctl.show': 'show',
    'extension.ratio': 'inv_freq / unscaled inv_freq', 'extension.score': 'score of the fitted pair',
    'ratio.term': 'ratio', 'ratio.def': '1: the pair is kept; 1/factor: interpolated (PI divides every pair).',
    'bias.tab': 'Biases', 'bias.title': 'Relative biases over query × key',
    'bias.intro': 'ALiBi (arXiv:2108.12409) adds −m_h (i − j) with one slope per head; T5 (arXiv:1910.10683) and'
      + ' DeBERTa (arXiv:2006.03654) map the relative position to log-spaced buckets, each bucket a learned bias; Shaw'
      + ' et al. (arXiv:1803.02155) clip it to ±k; KERPLE (arXiv:2205.09921) takes a kernel of |i − j|; FIRE (Li et'
      + ' al., arXiv:2310.04418) feeds the progressively interpolated distance ψ(i − j)/ψ(max(i, L)) to a learned MLP,'
      + ' shown at its initial parameters; Transformer-XL (Dai et al., arXiv:1901.02860) splits the logit into four'
      + ' terms, of which (b) and (d) see positions, through the sinusoid R_(i−j) projected by W_R.',
    'bias.bucketOf': 'bucket of', 'bias.bidirectional': 'bidirectional', 'bias.causal': 'causal',
    'bias.shawRead': 'which learned relative vector each pair reads', yes: 'yes', no: 'no', and: 'and',
    'ctl.fire.c': 'c (learned; init 0.1)', 'ctl.fire.L': 'threshold L (learned; init 512)',
    'ctl.xl.dmodel': 'd_model (size of R)', 'ctl.xl.headdim': 'head_dim',
    'fire.atInit': 'at initialisation', 'lab.plot': 'the lab\'s plot', 'band.kept': 'kept', 'band.blended': 'blended',
    'band.interpolated': 'interpolated',
    'lab.drawn': 'Drawn here: ranking and extrapolation; posenc report shows every experiment.', 'model.wavelengthAxis': 'wavelength (tokens, log)',
    'fire.input': 'MLP input', 'fire.bias': 'bias', 'fire.params': 'parameters',
    'fire.init': 'the MLP\'s weights at PyTorch\'s nn.Linear initialisation U(−1/√fan_in, 1/√fan_in), as in the'
      + ' authors\' reference implementation (drawn once, fixed)',
    'xl.b': 'content-dependent positional bias', 'xl.d': 'global positional bias',
    'xl.sinusoid': 'size of the sinusoid R_(i−j)', 'xl.init': 'XLNet\'s initializer_range',
    'xl.scale': 'before the attention\'s 1/√d; u (r_w_bias) multiplies keys only, so it is in neither term',
    'ctl.kind': 'kind', 'ctl.heads': 'heads', 'ctl.style': 'slope rule', 'ctl.head': 'head', 'ctl.size': 'tokens',
    'ctl.buckets': 'buckets', 'ctl.maxdist': 'max_distance', 'ctl.causal': 'causal (decoder)',
    'ctl.maxrel': 'max_relative_positions', 'ctl.clip': 'clipping distance k', 'ctl.kernel': 'kernel',
    'bias.query': 'query position i', 'bias.key': 'key position j', 'bias.slopes': 'slopes m_h',
    'lab.tab': 'Lab results', 'lab.title': 'The lab\'s results',
    'lab.intro': 'What posenc lab measured when it trained small byte-level models with each encoding: validation'
      + ' perplexity per encoding, and perplexity past the training length. Start with --lab DIR (default lab-out/).',
    'lab.ranking': 'validation perplexity (mean ± std over training runs)', 'lab.runs': 'runs', 'lab.extrapolation': 'perplexity by evaluation length',
    'lab.evallen': 'evaluation length (tokens)', 'lab.ppl': 'perplexity', 'lab.dir': 'folder',
    'lab.none': 'No lab results: run posenc lab, then posenc explore --lab DIR',
    'lab.term': 'gaps', 'lab.def': 'A missing point is a length the encoding cannot run at (a learned table ends at'
      + ' its length).',
    'bucket.term': 'cell', 'bucket.def': 'ALiBi: the bias added to the logit (grey: masked). T5: bucket of j − i.'
      + ' DeBERTa: bucket of i − j. Shaw: clipped j − i. KERPLE: the bias. FIRE: the MLP\'s input and the bias of one'
      + ' head (grey: masked; it depends on i through ψ(max(i, L)), so it is not a function of i − j alone).'
      + ' Transformer-XL: the logit terms (b) and (d); (d) is constant along each diagonal i − j.',
  },
  zh: {
    title: '探索', export: '导出：',
    keys: '键盘：1–7 切换视图 · 标签上 ←/→ · Tab 与方向键操作控件',
    footer: '本页每个数字都来自 /api/：由 posenc-core 计算（实验结果视图读取 posenc lab 的 lab.json）——页面只负责绘制，不做任何计算。posenc inspect、verify 与 report 使用同一套代码。',
    'clock.tab': 'RoPE 时钟', 'clock.title': '把 RoPE 看成时钟的指针',
    'clock.intro': 'RoPE（RoFormer，arXiv:2104.09864）把位置 m 处 query 的第 i 对分量旋转 mθᵢ，位置 n 处 key 旋转 nθᵢ，'
      + 'θᵢ = base^(−2i/d)；得分只取决于 m − n。拖动指针末端的圆点（蓝：query，设定 m；红：key，设定 n），或使用滑块。d = 8 时向量取自综述文章《位置编码 (Position Encoding)》（2025-09-09；NumPy 的 randn，随机状态 42），下表即其中 RoPE 的逐步计算表。',
    'clock.query': 'query', 'clock.key': 'key',
    'clock.dragQ': '拖动：设定 query 位置 m', 'clock.dragK': '拖动：设定 key 位置 n',
    'ctl.d': '头维度 d', 'ctl.base': '底数 (rope_theta)', 'ctl.m': 'query 位置 m', 'ctl.n': 'key 位置 n',
    'ctl.play': '▶ 播放 m（空格）', 'ctl.pause': '❚❚ 暂停（空格）',
    'clock.score': '得分 ⟨R_m q, R_n k⟩', 'clock.relative': '同一得分 ⟨q, R_(n−m) k⟩',
    'clock.norm': '旋转前 / 后的 |q|', 'clock.dial': '分量对', 'clock.share': '得分份额',
    'score.term': '得分', 'score.def': '旋转后 query 与 key 的点积；每个表盘贡献其分量对的两项。蓝针：Rₘq，红针：Rₙk；两针夹角随 (m − n)θᵢ 变化。',
    'decay.tab': '远程衰减', 'decay.title': '远程衰减：用哪个指标？',
    'decay.intro': 'RoPE 的得分会随距离衰减吗？取决于衡量方式。RoFormer 的上界会衰减但永不为 0；随机 query 与自身的得分缓慢且带噪声地衰减；'
      + '在训练长度内拟合为衰减的 query，在 Llama 3.1 的底数 500000 下超出训练长度后会回升，而把底数提高到 8000000 则继续衰减（依据苏剑林「Transformer升级之路」系列文章所写的笔记，谈 Llama 3.1 的底数）。',
    'ctl.bases': '底数（逗号分隔）', 'ctl.max': '最大距离', 'ctl.scale': '距离坐标', 'ctl.metric': '指标',
    'ctl.train': '拟合对的训练长度', 'ctl.addbase': '列表中最后一个底数（对数滑块）',
    'metric.bound': 'RoFormer 上界', 'metric.random': '随机 q·q 均值', 'metric.fitted': '拟合的 q/k 对',
    'decay.distance': '相对距离 m', 'decay.firstzero': '首个零点',
    'bound.term': 'RoFormer 上界', 'bound.def': '(1/(d/2)) Σⱼ |Sⱼ|，Sⱼ = Σ_{i<j} e^{i m θᵢ}：RoFormer 第 3.4.3 节的上界（其图 2）。恒不小于 0。',
    'random.term': '随机 q·q 均值', 'random.def': '64 个高斯随机 q 的 ⟨R_m q, R_0 q⟩ / |q|² 均值：同一 token 与相距 m 的自身的得分。',
    'fitted.term': '拟合的 q/k 对', 'fitted.def': '⟨R_m q, R_0 k⟩，其中 q 用岭回归拟合，使其在第一个底数下、训练长度内的得分服从 1/(1 + m/1000)；在每个底数（或缩放方法，含其 attention_scaling：YaRN 从 1 以上开始）下原样计算。',
    'firstzero.term': '首个零点', 'firstzero.def': '曲线首次 ≤ 0 的距离（绘图网格上的首次变号，再用二分法精确到整数）。',
    'model.tab': '真实模型', 'model.title': '真实模型的 RoPE',
    'model.intro': '选择内置配置或载入你自己的 config.json 或 GGUF 文件：其 rope_type 形成的频段（保持、混合、内插），波长与原始及扩展上下文的对比，'
      + '以及注意力缩放，针对长度为 seq_len 的前向（0：初始化时）——与 posenc inspect --json 完全一致。GGUF 按 llama.cpp 的语义在其上下文 n_ctx'
      + '（llama.cpp 的 --ctx）下读取；另一栏为 config.json 时，转换审计列出 llama.cpp 与 Hugging Face 旋转不同的分量对。',
    'ctl.model': '模型', 'ctl.compare': '对比', 'ctl.seqlen': 'seq_len（config.json；0：初始化时）',
    'ctl.ctx': 'n_ctx（GGUF，llama.cpp 的 --ctx；0：文件的 context_length）', 'ctl.upload': '载入 config.json 或 GGUF',
    'model.ggufNote': '此处读取至多 {max} MiB 的 GGUF 上传：只用到文件头和 rope 张量，故仅含词表或不含权重的转换文件都很小。'
      + '数 GB 的模型文件请用 posenc inspect MODEL.gguf [--ctx N] [--against config.json] 检查。',
    'model.tooLarge': '{file}：{size} 字节；此处只读取至多 {max} MiB 的 GGUF（config.json：1 MiB）；更大的模型文件请用 posenc inspect MODEL.gguf 检查',
    'model.gguf': 'GGUF，按 llama.cpp 的语义读取', 'model.nctx': 'llama.cpp n_ctx', 'model.factors': '因子张量',
    'model.audit': '转换审计：{gguf}（llama.cpp，n_ctx {nctx}）对照 {hf}（Hugging Face）——两者旋转不同的分量对'
      + '（频率相差超过 16 个 float ulp），与 posenc inspect --against 一致',
    'model.auditAgree': '每个分量对的旋转都一致', 'model.auditLegend': 'llama.cpp ≠ Hugging Face', 'model.notCarried': '未携带', 'model.note': '注',
    'none': '（无）', 'model.uploaded': '已上传',
    'model.wavelength': '波长 2π/inv_freq（token）', 'model.pair': '分量对 i',
    'model.original': '原始上下文', 'model.extended': '扩展上下文',
    'band.term': '频段', 'band.def': '保持：波长相对原始上下文很短，频率不变；内插：波长很长，频率除以倍数；混合：介于两者之间（YaRN 的斜坡、Llama 3 的平滑）。',
    'shuffle.tab': '打乱演示', 'shuffle.title': '仅靠注意力分不清顺序',
    'shuffle.intro': '拖动 token（或聚焦后按 ← / →，或打乱）。没有位置编码时，每个 token 的注意力输出随它移动：该层是置换等变的，'
      + '所以「我爱你」与「你爱我」的输出相同，只是顺序不同。打开一种编码，输出就变了（文章《ROPE位置编码》（2025-06-24）中的演示）。',
    'ctl.tokens': 'token（逗号分隔）', 'ctl.encoding': '编码', 'ctl.shuffle': '打乱（s）', 'ctl.reset': '原始顺序（r）',
    'shuffle.shuffledOrder': '打乱后顺序的输出', 'shuffle.originalOrder': '原始顺序的输出',
    'shuffle.none': '无编码', 'shuffle.with': '使用', 'shuffle.diff': 'max |输出 − 该 token 在原始顺序下的输出|',
    'equivariance.term': '差异', 'equivariance.def': '对位置 t 与通道取最大的 |outₜ − out⁰_{order[t]}|：位置 t 的输出与同一 token 在原始顺序下的输出之差（括号内为 float32 ulp）。在舍入误差内为 0 表示该层没有看到顺序。',
    'extension.tab': '上下文扩展', 'extension.title': '超出训练长度的上下文扩展',
    'extension.intro': 'PI、NTK-aware、动态 NTK、YaRN 与 Llama 3 在给定倍数下：各自对每个频率分量对做了什么（与未缩放 inv_freq 之比），'
      + '以及在训练长度内拟合为衰减的 q/k 对直到 4 倍长度的得分。LongRoPE（Ding 等，arXiv:2402.13753）没有从倍数推出频率的规则：它的逐对因子是为某个模型搜索出来的，'
      + '因此这里用内置模型的 short_factor（长度不超过训练长度的前向）或 long_factor（更长的前向）绘制；倍数只决定其 attention_scaling。',
    'ctl.longrope': 'LongRoPE 因子来自', 'extension.longrope': 'LongRoPE',
    'extension.searched': '因子针对 head_dim {h}、rope_theta {b}、{o} → {e} token（{f} 倍）搜索得到；本次 {n} token 的前向使用 {u}',
    'extension.notAdded': '未绘制：',
    'ctl.context': '训练长度', 'ctl.factor': '倍数', 'ctl.show': '显示',
    'extension.ratio': 'inv_freq / 未缩放 inv_freq', 'extension.score': '拟合对的得分',
    'ratio.term': '比值', 'ratio.def': '1：该分量对保持不变；1/倍数：内插（PI 对每一对都做除法）。',
    'bias.tab': '偏置', 'bias.title': 'query × key 上的相对偏置',
    'bias.intro': 'ALiBi（arXiv:2108.12409）对每个头加上 −m_h (i − j)；T5（arXiv:1910.10683）与 DeBERTa（arXiv:2006.03654）把相对位置映射到对数间隔的桶，每个桶一个可学习偏置；Shaw 等（arXiv:1803.02155）把它截断到 ±k；KERPLE（arXiv:2205.09921）对 |i − j| 取核函数；'
      + 'FIRE（Li 等，arXiv:2310.04418）把渐进插值的距离 ψ(i − j)/ψ(max(i, L)) 输入一个可学习的 MLP，此处为其初始参数；'
      + 'Transformer-XL（Dai 等，arXiv:1901.02860）把 logit 拆成四项，其中 (b) 与 (d) 含位置，经由 W_R 投影的正弦编码 R_(i−j)。',
    'bias.bucketOf': '桶：', 'bias.bidirectional': '双向', 'bias.causal': '因果',
    'bias.shawRead': '每对读取哪个可学习的相对向量', yes: '是', no: '否', and: '与',
    'ctl.fire.c': 'c（可学习；初值 0.1）', 'ctl.fire.L': '阈值 L（可学习；初值 512）',
    'ctl.xl.dmodel': 'd_model（R 的维数）', 'ctl.xl.headdim': 'head_dim',
    'fire.atInit': '初始为', 'lab.plot': '实验的图', 'band.kept': '保持', 'band.blended': '混合', 'band.interpolated': '内插', 'lab.drawn': '此处绘制排名与外推；posenc report 展示全部实验。', 'model.wavelengthAxis': '波长（token，对数）',
    'fire.input': 'MLP 输入', 'fire.bias': '偏置', 'fire.params': '参数',
    'fire.init': 'MLP 权重取 PyTorch nn.Linear 的初始化 U(−1/√fan_in, 1/√fan_in)，与作者的参考实现相同（抽取一次，固定）',
    'xl.b': '依赖内容的位置偏置', 'xl.d': '全局位置偏置',
    'xl.sinusoid': '正弦编码 R_(i−j) 的维数', 'xl.init': 'XLNet 的 initializer_range',
    'xl.scale': '未乘注意力的 1/√d；u (r_w_bias) 只与 key 相乘，不在这两项中',
    'ctl.kind': '类型', 'ctl.heads': '头数', 'ctl.style': '斜率规则', 'ctl.head': '头', 'ctl.size': 'token 数',
    'ctl.buckets': '桶数', 'ctl.maxdist': 'max_distance', 'ctl.causal': '因果（解码器）',
    'ctl.maxrel': 'max_relative_positions', 'ctl.clip': '截断距离 k', 'ctl.kernel': '核函数',
    'bias.query': 'query 位置 i', 'bias.key': 'key 位置 j', 'bias.slopes': '斜率 m_h',
    'lab.tab': '实验结果', 'lab.title': '实验（lab）的结果',
    'lab.intro': 'posenc lab 用每种编码训练小型字节级模型后测得的结果：每种编码的验证集困惑度，以及超出训练长度后的困惑度。启动时加 --lab DIR（默认 lab-out/）。',
    'lab.ranking': '验证集困惑度（多次训练的均值 ± 标准差）', 'lab.runs': '次训练', 'lab.extrapolation': '按评估长度的困惑度',
    'lab.evallen': '评估长度（token）', 'lab.ppl': '困惑度', 'lab.dir': '目录',
    'lab.none': '没有实验结果：先运行 posenc lab，再运行 posenc explore --lab DIR',
    'lab.term': '缺口', 'lab.def': '缺失的点表示该编码无法运行的长度（可学习位置表止于其长度）。',
    'bucket.term': '单元格', 'bucket.def': 'ALiBi：加到 logit 上的偏置（灰色：被遮蔽）。T5：j − i 的桶。DeBERTa：i − j 的桶。Shaw：截断后的 j − i。KERPLE：偏置值。FIRE：MLP 的输入与某个头的偏置（灰色：被遮蔽；它经 ψ(max(i, L)) 依赖 i，所以不只是 i − j 的函数）。Transformer-XL：logit 的 (b) 与 (d) 两项；(d) 沿每条对角线 i − j 不变。',
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
