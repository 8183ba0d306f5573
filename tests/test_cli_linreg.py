"""``ember linreg``: the course's linear-regression workflow as a command."""
import json
import os
import re
import struct
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("in_tmp", "english")   # files land in a temporary folder
FAST = ["--epochs", "300", "--print-every", "100"]
try:
    import matplotlib  # noqa: F401
    PICTURES = ["loss.png"]
except ImportError:                     # the command says so, and draws nothing
    PICTURES = []
needs_matplotlib = pytest.mark.skipif(not PICTURES, reason="matplotlib is not installed")


@pytest.fixture
def english(monkeypatch):
    """The report in English, whatever the locale of the machine that runs the tests."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def value(lines, prefix):
    """The number after ``prefix`` on the line that starts with it."""
    line = next(line for line in lines if line.startswith(prefix))
    return float(re.search(r"[-+\d.e]+$", line[len(prefix):].strip()).group())


def png_size(path):
    data = open(path, "rb").read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def write_csv(path, text):
    path.write_text(text)
    return str(path)


def test_defaults_reach_the_least_squares_optimum(ember_cmd, in_tmp):
    status, out, err = ember_cmd("linreg")
    assert status == 0 and err == []
    assert out[2] == "model: LinearRegression(in_dim=3), SGD(lr=0.01), MSELoss, 10000 epochs"
    epochs = [line for line in out if line.startswith("epoch: ")]
    assert [int(re.match(r"epoch: (\d+), loss is: \S+$", e).group(1)) for e in epochs] == \
        list(range(0, 10000, 500)) + [9999]
    test_mse = value(out, "test MSE:")
    optimum = value(out, "least-squares optimum on the same data:")
    assert test_mse <= 1.1 * optimum
    assert 0.15 < test_mse < 0.35                # the noise's variance is 0.25
    assert value(out, "reloaded linear.pth into a new model: test MSE") == test_mse
    assert sorted(os.listdir()) == ["linear.json", "linear.pth"] + PICTURES


def test_prints_the_lectures_lines_and_weights(ember_cmd):
    status, out, _ = ember_cmd("linreg", "--epochs", "1200", "--print-every", "250")
    assert status == 0
    epochs = [line for line in out if line.startswith("epoch: ")]
    assert [e.split(",")[0] for e in epochs] == ["epoch: {}".format(n) for n in
                                                 list(range(0, 1200, 250)) + [1199]]
    losses = [float(e.split("loss is: ")[1]) for e in epochs]
    assert losses[-1] < 0.1 * losses[0]
    header = out.index(next(line for line in out if line.split() == ["true", "learned"]))
    rows = [line.split() for line in out[header + 1:header + 5]]
    assert [r[0] for r in rows] == ["w[0]", "w[1]", "w[2]", "bias"]
    for _, true, learned in rows:
        assert abs(float(true) - float(learned)) < 0.1


def test_the_saved_model_loads_in_torch(ember_cmd, in_tmp):
    torch = pytest.importorskip("torch")
    status, out, _ = ember_cmd("linreg", *FAST, "--in-dim", "2", "--out", "results")
    assert status == 0
    assert sorted(os.listdir("results")) == ["linear.json", "linear.pth"] + PICTURES

    class LinearRegression(torch.nn.Module):          # the lecture's module, in real torch
        def __init__(self, in_dim):
            super().__init__()
            self.w = torch.nn.Parameter(torch.randn(in_dim + 1, 1))

        def forward(self, x):
            x = torch.cat([x, torch.ones((x.shape[0], 1))], dim=1)
            return x.matmul(self.w)

    model = LinearRegression(2)
    model.load_state_dict(torch.load("results/linear.pth"))
    header = out.index(next(line for line in out if line.split() == ["true", "learned"]))
    learned = [float(line.split()[2]) for line in out[header + 1:header + 4]]
    np.testing.assert_allclose(model.w.detach().numpy()[:, 0], learned, atol=1e-4)


@needs_matplotlib
def test_one_feature_draws_the_fit(ember_cmd, in_tmp):
    status, out, _ = ember_cmd("linreg", *FAST, "--in-dim", "1", "--samples", "60",
                               "--noise", "0.1", "--seed", "3")
    assert status == 0 and "drew loss.png and fit.png in ." in out
    assert out[1] == "      40 samples for training, 20 for testing"
    assert png_size("fit.png") == png_size("loss.png") == (600, 400)


def test_compare_numpy(ember_cmd):
    status, out, _ = ember_cmd("linreg", "--compare-numpy", "--in-dim", "1",
                               "--epochs", "2000")
    assert status == 0
    assert any(re.match(r"trained 2000 epochs in [\d.]+ s", line) for line in out)
    assert any(re.match(r"the lecture's NumPy version .* trained 2000 epochs in [\d.]+ s", line)
               for line in out)
    header = out.index(next(line for line in out if line.split() == ["true", "learned", "numpy"]))
    for line in out[header + 1:header + 3]:
        _, true, learned, numpy = map(lambda s: float(s) if s[0] in "-0123456789" else s,
                                      line.split())
        assert abs(learned - numpy) < 1e-3
    assert abs(value(out, "NumPy version's test MSE:") - value(out, "test MSE:")) < 1e-4


def test_csv(ember_cmd, in_tmp):
    rng = np.random.default_rng(0)
    size = rng.uniform(30, 200, 90)           # square metres: far from unit scale
    rooms = rng.integers(1, 6, 90)
    price = 2000 * size + 10000 * rooms + rng.normal(0, 5000, 90)
    rows = "\n".join("{:.1f},{},{:.0f}".format(*r) for r in zip(size, rooms, price))
    path = write_csv(in_tmp / "houses.csv", "size, rooms, price\n" + rows + "\n")
    status, out, _ = ember_cmd("linreg", "--csv", path, "--target", "price",
                               "--epochs", "3000")
    assert status == 0
    assert out[0].startswith("data: {}: 90 rows, predicting 'price' from size, rooms".format(path))
    assert "standardised" in out[0] and "(weights in the data's own units" in " ".join(out)
    assert out[1] == "      60 samples for training, 30 for testing"
    assert [line.split()[0] for line in out if line.startswith(("size ", "rooms ", "bias "))] == \
        ["size", "rooms", "bias"]
    assert value(out, "test MSE:") <= 1.1 * value(out, "least-squares optimum on the same data:")


def test_diabetes(ember_cmd):
    pytest.importorskip("sklearn")
    status, out, _ = ember_cmd("linreg", "--dataset", "diabetes", *FAST)
    assert status == 0 and out[0].startswith("data: scikit-learn's diabetes set")
    assert out[1] == "      295 samples for training, 147 for testing"


def test_without_scikit_learn(ember_cmd, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    status, out, err = ember_cmd("linreg", "--dataset", "diabetes")
    assert status == 2 and out == [] and err == [
        "ember linreg: error: --dataset diabetes needs scikit-learn, which is not installed: "
        "pip install scikit-learn"]


def test_without_matplotlib(ember_cmd, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, out, _ = ember_cmd("linreg", *FAST, "--in-dim", "1")
    assert status == 0
    assert out[-1] == ("loss.png and fit.png not drawn: matplotlib is not installed "
                       "(pip install matplotlib)")
    assert sorted(os.listdir()) == ["linear.json", "linear.pth"]


def test_progress_bar_on_a_terminal(ember_cmd, monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, out, err = ember_cmd("linreg", *FAST)
    assert status == 0
    assert [line for line in out if line.startswith("epoch: ")][:3] == [
        line for line in out if re.match(r"epoch: (0|100|200), loss is: ", line)]
    assert "epoch" in "".join(err)            # the bar, drawn on stderr


BAD_CSV = {
    "missing.csv": None,
    "letters.csv": "x,y\n1,2\n3,abc\n",
    "nan.csv": "x,y\n1,2\nnan,4\n",
    "empty_cell.csv": "x,y\n1,2\n,4\n",
    "ragged.csv": "x,y\n1,2\n3\n",
    "one_row.csv": "x,y\n1,2\n",
    "two_rows.csv": "x,y\n1,2\n3,4\n",
    "three.csv": "a,b,c\n1,2,3\n4,5,6\n",
    "only_target.csv": "y\n1\n2\n",
    "blank.csv": "\n",
    "twice.csv": "x,x,y\n1,2,3\n4,5,6\n",
}


@pytest.mark.parametrize("argv, message", [
    (["--csv", "missing.csv", "--target", "y"], "cannot read missing.csv: No such file"),
    (["--csv", "letters.csv", "--target", "y"], "letters.csv, line 3, column 'y': 'abc' is not a "
                                                "number"),
    (["--csv", "letters.csv", "--target", "z"], "letters.csv has no column 'z' (its columns: "
                                                "x, y)"),
    (["--csv", "nan.csv", "--target", "y"], "nan.csv, line 3, column 'x': the value is NaN"),
    (["--csv", "empty_cell.csv", "--target", "y"], "line 3, column 'x': the value is missing"),
    (["--csv", "ragged.csv", "--target", "y"], "ragged.csv, line 3: 1 values, but the header "
                                               "has 2 columns"),
    (["--csv", "one_row.csv", "--target", "y"], "one_row.csv has 1 data row: a model of 1 "
                                                "feature needs at least 3 rows"),
    (["--csv", "two_rows.csv"], "two_rows.csv has 2 data rows: a model of 1 feature needs at "
                                "least 3 rows"),
    (["--csv", "three.csv"], "--csv needs --target COLUMN, the column to predict (one of: a, b, "
                             "c)"),
    (["--csv", "only_target.csv", "--target", "y"], "needs at least one column besides 'y'"),
    (["--csv", "blank.csv", "--target", "y"], "blank.csv is empty"),
    (["--csv", "twice.csv", "--target", "y"], "more than one column named 'x'"),
    (["--target", "y"], "--target needs --csv"),
    (["--csv", "letters.csv", "--target", "y", "--in-dim", "2"], "--in-dim is for synthetic data"),
    (["--csv", "letters.csv", "--target", "y", "--dataset", "diabetes"], "either --csv or "
                                                                         "--dataset"),
    (["--epochs", "0"], "argument --epochs: must be at least 1, not '0'"),
    (["--epochs", "ten"], "argument --epochs: must be a whole number, not 'ten'"),
    (["--lr", "-0.1"], "argument --lr: must be a positive number, not '-0.1'"),
    (["--lr", "nan"], "argument --lr: must be a positive number, not 'nan'"),
    (["--noise", "-1"], "argument --noise: must be zero or a positive number"),
    (["--samples", "1"], "argument --samples: must be at least 2"),
    (["--in-dim", "0"], "argument --in-dim: must be at least 1"),
    (["--dataset", "iris"], "argument --dataset: invalid choice: 'iris'"),
    (["--out", "letters.csv"], "--out letters.csv: this is a file, not a folder"),
    (["--lr", "1e10", "--epochs", "50"], "training diverged: the loss became inf at epoch 2; "
                                         "try a smaller --lr (nothing was saved)"),
    (["--lr", "0.9"], "training diverged: the loss rose in each of the last 20 epochs, from "
                      "79.09 (epoch 3) to 131.4 (epoch 23)"),
    (["--seed", "18446744073709551616"], "argument --seed: must be a whole number from "
                                         "-9223372036854775808 to 18446744073709551615"),
    (["--seed", "-9223372036854775809"], "argument --seed: must be a whole number from"),
    (["--seed", "1.5"], "argument --seed: must be a whole number, not '1.5'"),
    (["--seed", "9" * 5000], "argument --seed: must be a whole number, not '9999"),
    (["--out", "letters.csv/results"], "--out letters.csv/results: letters.csv is a file"),
])
@pytest.mark.filterwarnings("error")      # a warning would be more than one line
def test_bad_input(ember_cmd, in_tmp, argv, message):
    for name, text in BAD_CSV.items():
        if text is not None:
            write_csv(in_tmp / name, text)
    status, out, err = ember_cmd("linreg", *argv)
    assert status == 2 and len(err) == 1 and message in err[0], err
    assert err[0].startswith("ember linreg: error: ")
    assert not any(line.startswith("test MSE") for line in out)
    assert sorted(os.listdir()) == sorted(n for n, t in BAD_CSV.items() if t is not None)


def test_help(ember_cmd, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = ember_cmd("linreg", "--help")
    assert max(len(line) for line in out) <= 80
    assert status == 0
    for option in ("--in-dim", "--samples", "--noise", "--seed", "--csv", "--target", "--dataset",
                   "--lr", "--epochs", "--compare-numpy", "--out"):
        assert any(line.lstrip().startswith(option) for line in out), option
    status, out, _ = ember_cmd("--help")
    assert status == 0 and any(line.split()[:1] == ["linreg"] for line in out)


def test_command_line(in_tmp):
    """``python -m ember linreg``, as a new process: output, and an error without traceback."""
    done = subprocess.run([sys.executable, "-m", "ember", "linreg", *FAST],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert re.fullmatch(r"epoch: 0, loss is: \S+", done.stdout.splitlines()[3])
    for name in os.listdir():
        os.remove(name)
    done = subprocess.run([sys.executable, "-m", "ember", "linreg", "--csv", "nope.csv",
                           "--target", "y"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == "" and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr and os.listdir() == []


# -- seeds, outputs, divergence, CSV units, prediction, pictures, languages --------------------

def test_seeds_follow_torch_manual_seed(ember_cmd):
    status, out, _ = ember_cmd("linreg", *FAST, "--seed", "-1")
    assert status == 0
    status, same, _ = ember_cmd("linreg", *FAST, "--seed", str(2 ** 64 - 1))
    def untimed(lines):
        return [line for line in lines if not line.startswith("trained ")]
    assert status == 0 and untimed(same) == untimed(out)    # -1 is 2**64 - 1, as in torch
    assert "seed = 18446744073709551615" in out[0]
    status, _, _ = ember_cmd("linreg", *FAST, "--seed", str(-2 ** 63), "--compare-numpy")
    assert status == 0


@pytest.mark.parametrize("folder", ["loss.png", "linear.pth", "linear.json"])
def test_an_output_that_cannot_be_written_is_refused_before_training(ember_cmd, folder):
    os.mkdir(folder)
    status, out, err = ember_cmd("linreg", *FAST)
    assert status == 2 and out == []
    assert err == ["ember linreg: error: cannot write {}: there is a folder of that name"
                   .format(folder)]
    assert os.listdir() == [folder]


def test_a_failed_write_leaves_no_file(ember_cmd, monkeypatch):
    from ember.cli import outputs
    real = os.replace
    calls = []

    def failing_replace(source, target):
        calls.append(target)
        if target.endswith("linear.json"):
            raise OSError(28, "No space left on device", target)
        return real(source, target)
    monkeypatch.setattr(outputs.os, "replace", failing_replace)
    status, out, err = ember_cmd("linreg", *FAST, "--out", "results")
    assert status == 2 and err == ["ember linreg: error: cannot write results/linear.json: No "
                                   "space left on device"]
    assert sorted(os.listdir("results")) == ["linear.pth"] and calls[-1].endswith("linear.json")


def test_out_makes_nested_folders(ember_cmd):
    status, _, _ = ember_cmd("linreg", *FAST, "--out", "a/b/c")
    assert status == 0 and "linear.pth" in os.listdir("a/b/c")


def test_divergence_stops_early_and_saves_nothing(ember_cmd):
    status, out, err = ember_cmd("linreg", "--lr", "0.9")
    assert status == 2 and os.listdir() == []
    assert out[-1] == "epoch: 23, loss is: 131.4216766357422"     # where it stopped
    assert "trained" not in " ".join(out)


def test_a_learning_rate_that_converges_is_not_stopped(ember_cmd):
    status, out, _ = ember_cmd("linreg", "--lr", "0.5", "--epochs", "2000")
    assert status == 0 and value(out, "test MSE:") < 0.3


def houses(rows=90, seed=0):
    rng = np.random.default_rng(seed)
    size = rng.uniform(30, 200, rows)           # square metres: far from unit scale
    rooms = rng.integers(1, 6, rows)
    price = 2000 * size + 10000 * rooms + 50000 + rng.normal(0, 500, rows)
    return "size,rooms,price\n" + "\n".join(
        "{:.1f},{},{:.0f}".format(*r) for r in zip(size, rooms, price)) + "\n"


def test_csv_weights_are_in_the_datas_units_and_the_model_predicts_raw_data(ember_cmd, in_tmp):
    path = write_csv(in_tmp / "houses.csv", houses())
    status, out, _ = ember_cmd("linreg", "--csv", path, "--target", "price", "--epochs", "3000",
                               "--out", "model")
    assert status == 0
    weights = {line.split()[0]: float(line.split()[1]) for line in out
               if line.startswith(("size ", "rooms ", "bias "))}
    assert abs(weights["size"] - 2000) < 20 and abs(weights["rooms"] - 10000) < 500
    assert abs(weights["bias"] - 50000) < 2000
    assert json.loads((in_tmp / "model" / "linear.json").read_text()) == {
        "features": ["size", "rooms"], "target": "price"}
    write_csv(in_tmp / "new.csv", "rooms,size\n3,100\n1,50.5\n")
    status, out, err = ember_cmd("linreg", "--predict", "model/linear.pth", "new.csv")
    assert status == 0 and err == [] and out[0] == "rooms,size,predicted price"
    for line, expected in zip(out[1:], [2000 * 100 + 30000 + 50000, 2000 * 50.5 + 60000]):
        assert abs(float(line.split(",")[-1]) - expected) < 0.01 * expected


def test_predict_without_linear_json_reads_the_columns_in_order(ember_cmd, in_tmp):
    status, _, _ = ember_cmd("linreg", *FAST, "--in-dim", "2")
    os.remove("linear.json")
    write_csv(in_tmp / "new.csv", "a,b\n0,0\n1,2\n")
    status, out, _ = ember_cmd("linreg", "--predict", "linear.pth", "new.csv")
    assert status == 0 and out[0] == "a,b,predicted y" and len(out) == 3
    write_csv(in_tmp / "wide.csv", "a,b,c\n0,0,0\n")
    status, out, err = ember_cmd("linreg", "--predict", "linear.pth", "wide.csv")
    assert status == 2 and "the model reads 2 columns, and the CSV file has 3 columns" in err[0]


@pytest.mark.parametrize("argv, message", [
    (["--predict", "nothing.pth", "new.csv"], "cannot read nothing.pth: No such file"),
    (["--predict", "new.csv", "new.csv"], "new.csv is not a model saved by ember linreg"),
])
def test_predict_errors(ember_cmd, in_tmp, argv, message):
    write_csv(in_tmp / "new.csv", "a,b\n0,0\n")
    status, out, err = ember_cmd("linreg", *argv)
    assert status == 2 and out == [] and len(err) == 1 and message in err[0], err


def test_constant_columns_are_left_out_with_a_warning(ember_cmd, in_tmp):
    text = houses().splitlines()
    rows = [text[0] + ",city"] + [line + ",7" for line in text[1:]]
    path = write_csv(in_tmp / "houses.csv", "\n".join(rows) + "\n")
    status, out, _ = ember_cmd("linreg", "--csv", path, "--target", "price", *FAST)
    assert status == 0
    assert out[1] == ("warning: column 'city' has the same value (7) in every training row; it "
                      "is left out")
    assert not any(line.startswith("city ") for line in out)
    write_csv(in_tmp / "flat.csv", "x,y\n1,2\n1,3\n1,4\n")
    status, _, err = ember_cmd("linreg", "--csv", "flat.csv", *FAST)
    assert status == 2 and "every feature column is constant" in err[0]


def test_two_columns_need_no_target(ember_cmd, in_tmp):
    write_csv(in_tmp / "line.csv", "x,y\n" + "".join("{},{}\n".format(i, 2 * i + 1)
                                                     for i in range(30)))
    status, out, _ = ember_cmd("linreg", "--csv", "line.csv", "--epochs", "2000")
    assert status == 0 and "predicting 'y' from x" in out[0]
    assert "      20 samples for training, 10 for testing" in out
    assert [line.split()[:2] for line in out if line.startswith(("x ", "bias "))] == \
        [["x", "2.0000"], ["bias", "1.0000"]]


def test_loss_picture_scale():
    from ember.cli.linreg_plots import log_scale
    assert log_scale([87.7, 3.0, 0.25])
    assert not log_scale([1.0, 0.5, 0.2])
    assert not log_scale([1.0, 0.0])


@needs_matplotlib
def test_fit_picture_is_in_the_datas_units(ember_cmd, in_tmp, monkeypatch):
    from ember.cli import linreg
    seen = {}

    def fake(x, y, prediction, xlabel, ylabel):
        seen.update(x=x, xlabel=xlabel, ylabel=ylabel)
        return b""
    monkeypatch.setattr(linreg, "fit_picture", fake)
    write_csv(in_tmp / "line.csv", "size,price\n" + "".join(
        "{},{}\n".format(100 + i, 3 * i) for i in range(30)))
    status, _, _ = ember_cmd("linreg", "--csv", "line.csv", *FAST)
    assert status == 0 and seen["xlabel"] == "size" and seen["ylabel"] == "price"
    assert seen["x"].min() >= 100                      # raw sizes, not standardised ones


def test_chinese_report(ember_cmd, monkeypatch):
    status, out, _ = ember_cmd("linreg", *FAST, "--lang", "zh")
    assert status == 0
    assert out[0].startswith("数据：合成数据") and "epoch: 0, loss is: " in out[3]
    assert any(line.startswith("测试集 MSE：") for line in out)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    status, same, _ = ember_cmd("linreg", *FAST)
    assert status == 0 and same[:3] == out[:3]
    status, english, _ = ember_cmd("linreg", *FAST, "--lang", "en")
    assert english[0].startswith("data: synthetic")


def test_version_and_bare_command(ember_cmd):
    import ember
    status, out, _ = ember_cmd("--version")
    assert status == 0 and out == ["ember " + ember.__version__]
    status, out, err = ember_cmd()
    assert status == 0 and err == [] and out[0].startswith("usage: ember")
    assert [line.split()[0] for line in out if re.match(r"    \w", line)] == [
        "demo", "linreg", "graph", "run"]


def test_the_shipped_data_set(ember_cmd):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "docs", "data", "diabetes_bmi.csv")
    status, out, _ = ember_cmd("linreg", "--csv", path, "--epochs", "2000")
    assert status == 0 and "442 rows, predicting 'progression' from bmi" in out[0]
    assert value(out, "test MSE:") < 1.01 * value(out, "least-squares optimum on the same data:")
    status, out, _ = ember_cmd("linreg", "--csv", path.replace("_bmi", ""), "--target",
                               "progression", *FAST)
    assert status == 0 and "from age, sex, bmi, bp, s1, s2, s3, s4, s5, s6" in out[0]
