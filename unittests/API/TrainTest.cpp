//===- TrainTest.cpp - Session::trainStep, learning rate, checkpoints -----===//

#include "APITestUtil.h"

#include <cmath>
#include <fstream>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

/// A regression MLP trained with Adam.
const char *kRegSource = R"(model Reg {
  dim B
  param w1: f32[8, 16] = kaiming_uniform
  param b1: f32[16] = zeros
  param w2: f32[16, 1] = kaiming_uniform
  param b2: f32[1] = zeros

  fn forward(x: f32[B, 8]) -> f32[B, 1] {
    return relu(x @ w1 + b1) @ w2 + b2
  }

  fn loss(x: f32[B, 8], y: f32[B, 1]) -> f32 {
    return mse(forward(x), y)
  }

  train loss with adam(lr = 1e-2)
}
)";

CompileOptions uncachedCpu() {
  CompileOptions options;
  options.device = DeviceKind::Cpu;
  options.cache = false;
  return options;
}

/// Batch `i` of a fixed regression problem: y = sum(x[:4]) - x[4] * x[5].
TensorMap regBatch(int64_t i, int64_t batch = 16) {
  std::mt19937_64 rng(1000 + i);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> x(batch * 8), y(batch);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t k = 0; k < 8; ++k)
      x[b * 8 + k] = u(rng);
    float *r = &x[b * 8];
    y[b] = r[0] + r[1] + r[2] + r[3] - r[4] * r[5];
  }
  return {{"x", *HostTensor::fromVector<float>({batch, 8}, x)},
          {"y", *HostTensor::fromVector<float>({batch, 1}, y)}};
}

std::vector<uint8_t> bytesOf(const HostTensor &t) {
  auto p = static_cast<const uint8_t *>(t.data());
  return std::vector<uint8_t>(p, p + t.byteSize());
}

/// Every param's bytes (optimizer state included).
std::map<std::string, std::vector<uint8_t>> snapshot(Session &s) {
  std::map<std::string, std::vector<uint8_t>> all;
  for (const std::string &name : s.paramNames()) {
    auto t = s.getParam(name);
    EXPECT_TRUE(t.ok()) << t.status().message();
    if (t.ok())
      all[name] = bytesOf(*t);
  }
  return all;
}

/// 40 steps on one batch halve the loss, and the step count says 40.
void expectLearns(Session &s) {
  std::vector<float> losses;
  for (int i = 0; i < 40; ++i) {
    auto loss = s.trainStep(regBatch(0));
    ASSERT_TRUE(loss.ok()) << loss.status().message();
    losses.push_back(*loss);
  }
  EXPECT_LT(losses.back(), 0.5f * losses.front())
      << "first " << losses.front() << ", last " << losses.back();
  auto steps = s.stepCount();
  ASSERT_TRUE(steps.ok()) << steps.status().message();
  EXPECT_EQ(*steps, 40);
}

class TrainTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    auto m = Model::compile(ModelSource::text(kRegSource, "reg.tdsl"),
                            uncachedCpu());
    ASSERT_TRUE(m.ok()) << m.status().message();
    model = new Model(*m);
  }
  static void TearDownTestSuite() { delete model; }
  static Model *model;
};
Model *TrainTest::model = nullptr;

TEST_F(TrainTest, StepsReduceTheLoss) {
  auto s = newSession(*model, 3);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->learningRate(), 1e-2); // the train clause's
  expectLearns(*s);
}

TEST(MixedPrecisionTrainTest, BothPrecisionsLearnAndF16KeepsItsScale) {
  for (const char *precision : {"bf16", "f16"}) {
    SCOPED_TRACE(precision);
    CompileOptions options = uncachedCpu();
    options.precision = precision;
    auto m = Model::compile(ModelSource::text(kRegSource, "reg.tdsl"), options);
    ASSERT_TRUE(m.ok()) << m.status().message();
    ASSERT_TRUE(m->artifact()->manifest().train.has_value());
    EXPECT_EQ(m->artifact()->manifest().train->precision, precision);
    auto s = newSession(*m, 3);
    ASSERT_TRUE(s);
    expectLearns(*s);
    bool f16 = std::string(precision) == "f16";
    auto scale = s->getParam("opt.loss_scale");
    EXPECT_EQ(scale.ok(), f16);
    if (f16) {
      // No growth within 2000 steps: each skipped step halved the scale
      // from 2^16, and the good steps are those since the last skip.
      float skipped =
          *s->getParam("opt.loss_scale.skipped_steps")->data<float>();
      float good = *s->getParam("opt.loss_scale.good_steps")->data<float>();
      EXPECT_LT(skipped, 20.0f);
      EXPECT_EQ(*scale->data<float>(), std::ldexp(65536.0f, -int(skipped)));
      EXPECT_GE(good, 1.0f);
      EXPECT_LE(good + skipped, 40.0f);
    }
  }
}

TEST_F(TrainTest, ProfileTimesEveryLaunchInStepOrder) {
  auto s = newSession(*model, 6);
  ASSERT_TRUE(s);
  const Manifest &m = model->artifact()->manifest();
  const Entry *step = m.findEntry("train_step");
  ASSERT_NE(step, nullptr);
  std::vector<std::string> launches;
  for (const Step &st : step->steps)
    if (st.op == Step::Op::Launch)
      launches.push_back(m.kernels[st.kernel].name);
  ASSERT_FALSE(launches.empty());
  auto times = s->profileEntry("train_step", regBatch(0), 3);
  ASSERT_TRUE(times.ok()) << times.status().message();
  ASSERT_EQ(times->size(), launches.size());
  for (size_t i = 0; i < launches.size(); ++i) {
    EXPECT_EQ((*times)[i].kernel, launches[i]);
    EXPECT_GT((*times)[i].seconds, 0.0);
    EXPECT_LT((*times)[i].seconds, 1.0);
    if (i)
      EXPECT_GT((*times)[i].step, (*times)[i - 1].step);
  }
  // The session goes on: the params moved (1 + 3 runs of each update).
  auto loss = s->trainStep(regBatch(0));
  ASSERT_TRUE(loss.ok()) << loss.status().message();
  auto bad = s->profileEntry("train_step", regBatch(0), 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "profileEntry: iterations must be at least 1, given 0");
}

TEST_F(TrainTest, LearningRateIsARuntimeValue) {
  auto s = newSession(*model, 4);
  ASSERT_TRUE(s);
  // lr = 0: Adam's update is lr times something finite; nothing moves.
  ASSERT_TRUE(s->setLearningRate(0).ok());
  auto w = s->getParam("w1");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(s->trainStep(regBatch(0)).ok());
  EXPECT_EQ(bytesOf(*s->getParam("w1")), bytesOf(*w));
  ASSERT_TRUE(s->setLearningRate(1e-2).ok());
  ASSERT_TRUE(s->trainStep(regBatch(0)).ok());
  EXPECT_NE(bytesOf(*s->getParam("w1")), bytesOf(*w));
  Status bad = s->setLearningRate(std::nan(""));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find(
                "setLearningRate: the learning rate must be finite, given"),
            std::string::npos)
      << bad.message();
  EXPECT_DOUBLE_EQ(s->learningRate(), 1e-2);
}

TEST_F(TrainTest, RestoredCheckpointContinuesBitwise) {
  TempDir dir;
  std::string ckpt = dir.path() + "/ckpt.safetensors";
  auto lr = [](int i) { return 1e-2 * (1.0 - i / 40.0); }; // a schedule
  // Uninterrupted: 20 steps.
  auto a = newSession(*model, 5);
  ASSERT_TRUE(a);
  std::vector<float> lossesA;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(a->setLearningRate(lr(i)).ok());
    auto l = a->trainStep(regBatch(i));
    ASSERT_TRUE(l.ok()) << l.status().message();
    lossesA.push_back(*l);
  }
  // Interrupted after 8 steps, restored into a session of another seed.
  auto b = newSession(*model, 5);
  ASSERT_TRUE(b);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(b->setLearningRate(lr(i)).ok());
    ASSERT_TRUE(b->trainStep(regBatch(i)).ok());
  }
  Status saved = b->saveCheckpoint(ckpt);
  ASSERT_TRUE(saved.ok()) << saved.message();
  b.reset();
  auto c = newSession(*model, 99);
  ASSERT_TRUE(c);
  Status loaded = c->loadCheckpoint(ckpt);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(*c->stepCount(), 8);
  for (int i = 8; i < 20; ++i) {
    ASSERT_TRUE(c->setLearningRate(lr(i)).ok());
    auto l = c->trainStep(regBatch(i));
    ASSERT_TRUE(l.ok()) << l.status().message();
    EXPECT_EQ(*l, lossesA[i]) << "step " << i + 1;
  }
  EXPECT_EQ(snapshot(*c), snapshot(*a));
}

TEST_F(TrainTest, BadInputsGiveClearErrors) {
  auto s = newSession(*model, 6);
  ASSERT_TRUE(s);
  auto hasError = [](const auto &result, const std::string &part) {
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.status().message().find(part), std::string::npos)
        << result.status().message();
  };
  TensorMap batch = regBatch(0);
  TensorMap withLr = batch;
  withLr["lr"] = *HostTensor::fromVector<float>({}, {0.1f});
  hasError(s->trainStep(withLr), "trainStep: 'lr' is not an input here: the "
                                 "session supplies it (setLearningRate)");
  TensorMap noLabels = batch;
  noLabels.erase("y");
  hasError(s->trainStep(noLabels), "'y'");
  TensorMap wrongShape = batch;
  wrongShape["x"] = *HostTensor::zeros(DType::F32, {16, 7});
  hasError(s->trainStep(wrongShape), "'x'");
  EXPECT_EQ(*s->stepCount(), 0) << "a rejected step changed the state";

  // A model without a train clause has no train_step.
  auto tiny = Model::compile(ModelSource::text(kTinySource), uncachedCpu());
  ASSERT_TRUE(tiny.ok()) << tiny.status().message();
  auto t = newSession(*tiny, 0);
  ASSERT_TRUE(t);
  hasError(t->trainStep({{"x", randomInput(2, 0)}}), "no train clause");
  hasError(t->stepCount(), "opt.step");

  // A checkpoint of another model changes nothing.
  TempDir dir;
  std::string other = dir.path() + "/tiny.safetensors";
  ASSERT_TRUE(t->saveCheckpoint(other).ok());
  auto before = snapshot(*s);
  Status st = s->loadCheckpoint(other);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not hold the params"), std::string::npos)
      << st.message();
  EXPECT_EQ(snapshot(*s), before);
  Status missing = s->loadCheckpoint(dir.path() + "/none.safetensors");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("none.safetensors"), std::string::npos)
      << missing.message();
}

} // namespace
