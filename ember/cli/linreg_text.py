"""The report of ``ember linreg`` in English and in Chinese (``--lang zh``, or a Chinese locale:
``LANG=zh_CN.UTF-8``).  Each message is a ``str.format`` template, the same keys in each
language.  The lecture's own line, ``epoch: N, loss is: X``, stays as its code prints it."""
import locale
import os

__all__ = ["LANGUAGES", "default_language", "messages"]

EN = {
    "synthetic": "synthetic, y = x @ w + b + noise (in_dim = {in_dim}, noise = {noise:g}, "
                 "seed = {seed})",
    "csv": "{path}: {rows} rows, predicting '{target}' from {features}",
    "diabetes": "scikit-learn's diabetes set: 442 patients, disease progression from 10 "
                "features",
    "standardised": "; features standardised for training",
    "data": "data: {}",
    "split": "      {train} samples for training, {test} for testing",
    "model": "model: LinearRegression(in_dim={in_dim}), SGD(lr={lr:g}), MSELoss, {epochs} epochs",
    "trained": "trained {epochs} epochs in {seconds:.2f} s ({ms:.3f} ms per epoch)",
    "no_bar": "(no progress bar: tqdm is not installed; pip install tqdm)",
    "numpy_trained": "the lecture's NumPy version (hand-written gradients), same data: trained "
                     "{epochs} epochs in {seconds:.2f} s ({ms:.3f} ms per epoch)",
    "true": "true", "learned": "learned", "numpy": "numpy",
    "units": "(weights in the data's own units: the standardisation is folded into them)",
    "test_mse": "test MSE: {}",
    "optimum": "least-squares optimum on the same data: {}",
    "numpy_mse": "NumPy version's test MSE: {}",
    "saved": "saved the model's state_dict to {}",
    "reloaded": "reloaded {} into a new model: test MSE {}",
    "drew": "drew {files} in {folder}",
    "and": " and ",
    "not_drawn": "{files} not drawn: matplotlib is not installed (pip install matplotlib)",
    "non_finite": "training diverged: the loss became {loss} at epoch {epoch}; try a smaller "
                  "--lr (nothing was saved)",
    "rising": "training diverged: the loss rose in each of the last {n} epochs, from {low:.4g} "
              "(epoch {low_epoch}) to {loss:.4g} (epoch {epoch}); try a smaller --lr (nothing "
              "was saved)",
    "profile": "where the time went (ember.profiler, {epochs} epochs):",
}

ZH = {
    "synthetic": "合成数据，y = x @ w + b + 噪声（in_dim = {in_dim}，噪声 = {noise:g}，"
                 "种子 = {seed}）",
    "csv": "{path}：{rows} 行，由 {features} 预测 '{target}'",
    "diabetes": "scikit-learn 的糖尿病数据集：442 名病人，由 10 个特征预测病情进展",
    "standardised": "；训练时特征已标准化",
    "data": "数据：{}",
    "split": "      {train} 个样本用于训练，{test} 个用于测试",
    "model": "模型：LinearRegression(in_dim={in_dim})，SGD(lr={lr:g})，MSELoss，{epochs} 轮",
    "trained": "训练 {epochs} 轮，用时 {seconds:.2f} 秒（每轮 {ms:.3f} 毫秒）",
    "no_bar": "（没有进度条：未安装 tqdm；pip install tqdm）",
    "numpy_trained": "课上手写梯度的 NumPy 版本，相同数据：训练 {epochs} 轮，用时 {seconds:.2f} 秒"
                     "（每轮 {ms:.3f} 毫秒）",
    "true": "真实值", "learned": "学到的值", "numpy": "NumPy",
    "units": "（权重以数据本身的单位表示：标准化已折算进权重）",
    "test_mse": "测试集 MSE：{}",
    "optimum": "同一数据上的最小二乘最优值：{}",
    "numpy_mse": "NumPy 版本的测试集 MSE：{}",
    "saved": "模型的 state_dict 已保存到 {}",
    "reloaded": "把 {} 重新加载到新模型中：测试集 MSE {}",
    "drew": "已在 {folder} 中画出 {files}",
    "and": " 和 ",
    "not_drawn": "未画 {files}：没有安装 matplotlib（pip install matplotlib）",
    "non_finite": "训练发散：损失在第 {epoch} 轮变成了 {loss}；请用更小的 --lr（未保存任何文件）",
    "rising": "训练发散：损失在最近 {n} 轮中每轮都在上升，从 {low:.4g}（第 {low_epoch} 轮）"
              "升到 {loss:.4g}（第 {epoch} 轮）；请用更小的 --lr（未保存任何文件）",
    "profile": "时间花在哪里（ember.profiler，{epochs} 轮）：",
}

LANGUAGES = {"en": EN, "zh": ZH}


def default_language():
    """``zh`` where the locale is Chinese (``LANG``, ``LC_ALL``, ``LC_MESSAGES``, or the
    system's on Windows), else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        system = locale.getlocale()[0] or ""
    except ValueError:
        system = ""
    return "zh" if system.lower().startswith(("zh", "chinese")) else "en"


def messages(language):
    return LANGUAGES[language]
