//===- DropoutTest.cpp - dropout in training steps: masks and gradients ---===//
//
// The mask of a keyed dropout (docs/training.md, "Dropout") is checked
// element by element against runtime/Philox.h, its keep fraction against the
// binomial law, and its gradient against finite differences; a dropout MLP
// trains reproducibly and resumes from a checkpoint bit for bit.
//
//===----------------------------------------------------------------------===//

#include "APITestUtil.h"

#include "runtime/Philox.h"

using namespace tensorc;
using namespace tensorc::testing;

namespace {

/// grad.w = mask * x / (1 - p) for w = ones: the mask scaled, of
/// dropout(w) over [R, C] (row-major element index r * C + c).
const char *kMaskSource = R"(model Mask {
  param w: f32[64, 1024] = ones
  fn loss(x: f32[64, 1024]) -> f32 {
    return sum(dropout(w, 0.25) * x)
  }
  train loss with sgd(lr = 0.1)
}
)";

/// In f64 for finite differences: dropout between two nonlinearities.
const char *kFdSource = R"(model Fd {
  param w: f64[4, 8] = uniform(-1, 1)
  fn loss(x: f64[4, 8]) -> f64 {
    return sum(tanh(dropout(tanh(w) * x, 0.3)))
  }
  train loss with sgd(lr = 0.1)
}
)";

const char *kMlpSource = R"(model DropMLP {
  dim B
  param w1: f32[8, 32] = kaiming_uniform
  param b1: f32[32] = zeros
  param w2: f32[32, 3] = kaiming_uniform
  param b2: f32[3] = zeros
  fn forward(x: f32[B, 8]) -> f32[B, 3] {
    return dropout(relu(x @ w1 + b1), 0.5) @ w2 + b2
  }
  fn loss(x: f32[B, 8], y: i32[B]) -> f32 {
    return cross_entropy(forward(x), y)
  }
  train loss with adamw(lr = 1e-2)
}
)";

Model compileCpu(const char *source) {
  CompileOptions options;
  options.device = DeviceKind::Cpu;
  options.cache = false;
  auto model = Model::compile(ModelSource::text(source), options);
  EXPECT_TRUE(model.ok()) << model.status().message();
  return *model;
}

void setStep(Session &s, int32_t step) {
  ASSERT_TRUE(
      s.setParam("rng.step", *HostTensor::fromVector<int32_t>({}, {step}))
          .ok());
}

/// The kept elements (grad.w != 0) of the Mask model at `step`.
std::vector<bool> maskAt(Session &s, int32_t step) {
  setStep(s, step);
  std::vector<float> ones(64 * 1024, 1.0f);
  auto out = s.run("loss_grad",
                   {{"x", *HostTensor::fromVector<float>({64, 1024}, ones)}});
  EXPECT_TRUE(out.ok()) << out.status().message();
  if (!out.ok())
    return {};
  const HostTensor &g = out->at("grad.w");
  std::vector<bool> kept(g.numel());
  for (int64_t i = 0; i < g.numel(); ++i) {
    float v = g.data<float>()[i];
    EXPECT_TRUE(v == 0.0f || v == static_cast<float>(1 / 0.75)) << v;
    kept[i] = v != 0.0f;
  }
  return kept;
}

TEST(DropoutTest, MaskIsPhiloxOfSeedStepSiteAndIndex) {
  Model model = compileCpu(kMaskSource);
  uint64_t seed = 0x1234'0000'0042ull;
  auto s = newSession(model, seed);
  ASSERT_TRUE(s);
  // rng.seed is the session seed folded to 32 bits.
  auto key = s->getParam("rng.seed");
  ASSERT_TRUE(key.ok()) << key.status().message();
  uint32_t key0 = static_cast<uint32_t>(seed ^ (seed >> 32));
  EXPECT_EQ(static_cast<uint32_t>(key->data<int32_t>()[0]), key0);
  for (int32_t step : {0, 7, -1}) { // -1: the counter word 0xFFFFFFFF
    std::vector<bool> kept = maskAt(*s, step);
    ASSERT_EQ(kept.size(), 65536u);
    int64_t wrong = 0;
    for (uint32_t i = 0; i < kept.size(); ++i) {
      PhiloxBlock w = philox4x32({i, 0, static_cast<uint32_t>(step), 0},
                                 {key0, /*site=*/0});
      wrong += kept[i] != (w[0] >= 0x40000000u);
    }
    EXPECT_EQ(wrong, 0) << "step " << step;
  }
}

TEST(DropoutTest, KeepFractionIsBinomial) {
  // 65536 Bernoulli(0.75) draws per mask: the count of kept elements is
  // within 5 standard deviations (sqrt(n p (1 - p)) = 110.9) of n (1 - p)
  // but with probability 6e-7 per draw.
  Model model = compileCpu(kMaskSource);
  auto s = newSession(model, testSeed());
  ASSERT_TRUE(s);
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(testSeed()));
  double n = 65536, sd = std::sqrt(n * 0.25 * 0.75);
  for (int32_t step : {0, 1, 1000}) {
    std::vector<bool> kept = maskAt(*s, step);
    double count = std::count(kept.begin(), kept.end(), true);
    EXPECT_LE(std::fabs(count - 0.75 * n), 5 * sd) << "step " << step;
  }
}

TEST(DropoutTest, SameKeySameMaskOtherStepOrSeedAnother) {
  Model model = compileCpu(kMaskSource);
  auto s = newSession(model, 11);
  ASSERT_TRUE(s);
  std::vector<bool> a = maskAt(*s, 3), b = maskAt(*s, 3), c = maskAt(*s, 4);
  EXPECT_EQ(a, b);
  auto t = newSession(model, 12);
  ASSERT_TRUE(t);
  std::vector<bool> d = maskAt(*t, 3);
  // Independent masks agree on p^2 + (1-p)^2 = 62.5% of the elements.
  auto agree = [](const std::vector<bool> &x, const std::vector<bool> &y) {
    int64_t same = 0;
    for (size_t i = 0; i < x.size(); ++i)
      same += x[i] == y[i];
    return static_cast<double>(same) / x.size();
  };
  EXPECT_NEAR(agree(a, c), 0.625, 0.01);
  EXPECT_NEAR(agree(a, d), 0.625, 0.01);
}

TEST(DropoutTest, EvaluationIsTheIdentity) {
  Model model = compileCpu(kMaskSource);
  auto s = newSession(model, 1);
  ASSERT_TRUE(s);
  std::vector<float> x(64 * 1024, 0.5f);
  auto out =
      s->run("loss", {{"x", *HostTensor::fromVector<float>({64, 1024}, x)}});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->begin()->second.data<float>()[0], 32768.0f);
}

TEST(DropoutTest, GradientMatchesFiniteDifferencesWithTheMaskFixed) {
  Model model = compileCpu(kFdSource);
  auto s = newSession(model, testSeed());
  ASSERT_TRUE(s);
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(testSeed()));
  setStep(*s, 5);
  std::mt19937_64 rng(testSeed());
  std::uniform_real_distribution<double> u(-2, 2);
  std::vector<double> xv(32);
  for (double &v : xv)
    v = u(rng);
  TensorMap in = {{"x", *HostTensor::fromVector<double>({4, 8}, xv)}};
  auto out = s->run("loss_grad", in);
  ASSERT_TRUE(out.ok()) << out.status().message();
  HostTensor grad = out->at("grad.w");
  HostTensor w0 = *s->getParam("w");
  auto lossAt = [&](int64_t j, double h) {
    HostTensor w = w0;
    w.data<double>()[j] += h;
    EXPECT_TRUE(s->setParam("w", w).ok());
    return s->run("loss_grad", in)->at("loss").data<double>()[0];
  };
  int64_t zero = 0;
  for (int64_t j = 0; j < 32; ++j) {
    double h = 1e-6;
    double fd = (lossAt(j, h) - lossAt(j, -h)) / (2 * h);
    double g = grad.data<double>()[j];
    EXPECT_NEAR(g, fd, 1e-7 * (1 + std::fabs(fd))) << "w[" << j << "]";
    zero += g == 0.0;
  }
  // p = 0.3 of 32: some dropped (gradient 0), most kept.
  EXPECT_GT(zero, 0);
  EXPECT_LT(zero, 24);
}

TEST(DropoutTest, TrainStepUsesTheMaskOfItsStepThenAdvances) {
  // sgd: w' = w - lr * grad, with the gradient loss_grad gives at the same
  // rng.step: the forward and backward masks of the step agree, and the
  // in-place update of rng.step comes after every kernel that reads it.
  Model model = compileCpu(kMaskSource);
  auto s = newSession(model, 8);
  ASSERT_TRUE(s);
  setStep(*s, 41);
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> xv(64 * 1024);
  for (float &v : xv)
    v = u(rng);
  TensorMap in = {{"x", *HostTensor::fromVector<float>({64, 1024}, xv)}};
  auto grad = s->run("loss_grad", in);
  ASSERT_TRUE(grad.ok()) << grad.status().message();
  HostTensor w = *s->getParam("w");
  ASSERT_TRUE(s->setLearningRate(0.5).ok());
  auto loss = s->trainStep(in);
  ASSERT_TRUE(loss.ok()) << loss.status().message();
  EXPECT_EQ(*loss, grad->at("loss").data<float>()[0]);
  HostTensor updated = *s->getParam("w");
  const float *g = grad->at("grad.w").data<float>();
  int64_t wrong = 0;
  for (int64_t i = 0; i < w.numel(); ++i)
    wrong += updated.data<float>()[i] != w.data<float>()[i] - 0.5f * g[i];
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(*s->getParam("rng.step")->data<int32_t>(), 42);
}

/// Batch `i` of three classes separable by the sign of two features.
TensorMap mlpBatch(int64_t i) {
  std::mt19937_64 rng(500 + i);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> x(32 * 8);
  std::vector<int32_t> y(32);
  for (int64_t b = 0; b < 32; ++b) {
    for (int64_t k = 0; k < 8; ++k)
      x[b * 8 + k] = u(rng);
    y[b] = x[b * 8] > 0 ? 0 : (x[b * 8 + 1] > 0 ? 1 : 2);
  }
  return {{"x", *HostTensor::fromVector<float>({32, 8}, x)},
          {"y", *HostTensor::fromVector<int32_t>({32}, y)}};
}

std::vector<float> train(Session &s, int from, int to) {
  std::vector<float> losses;
  for (int i = from; i < to; ++i) {
    auto l = s.trainStep(mlpBatch(i));
    EXPECT_TRUE(l.ok()) << l.status().message();
    losses.push_back(l.ok() ? *l : NAN);
  }
  return losses;
}

std::vector<uint8_t> bytesOf(const HostTensor &t) {
  auto p = static_cast<const uint8_t *>(t.data());
  return std::vector<uint8_t>(p, p + t.byteSize());
}

TEST(DropoutTest, TrainingIsReproducibleAndResumesBitwise) {
  Model model = compileCpu(kMlpSource);
  TempDir dir;
  std::string ckpt = dir.path() + "/drop.safetensors";
  auto a = newSession(model, 21), b = newSession(model, 21);
  ASSERT_TRUE(a && b);
  std::vector<float> la = train(*a, 0, 20), lb = train(*b, 0, 20);
  EXPECT_EQ(la, lb);
  EXPECT_LT(la.back(), la.front());
  EXPECT_EQ(*a->getParam("rng.step")->data<int32_t>(), 20);

  // Interrupted at step 9 and resumed in a session of another seed: the
  // checkpoint carries rng.seed and rng.step.
  auto c = newSession(model, 21);
  ASSERT_TRUE(c);
  train(*c, 0, 9);
  ASSERT_TRUE(c->saveCheckpoint(ckpt).ok());
  auto d = newSession(model, 77);
  ASSERT_TRUE(d);
  Status st = d->loadCheckpoint(ckpt);
  ASSERT_TRUE(st.ok()) << st.message();
  std::vector<float> ld = train(*d, 9, 20);
  EXPECT_EQ(ld, std::vector<float>(la.begin() + 9, la.end()));
  for (const std::string &name : a->paramNames())
    EXPECT_EQ(bytesOf(*d->getParam(name)), bytesOf(*a->getParam(name))) << name;

  // Another dropout seed, the same initial params: other masks, other
  // losses from the first step on.
  auto e = newSession(model, 21);
  ASSERT_TRUE(e);
  ASSERT_TRUE(
      e->setParam("rng.seed", *HostTensor::fromVector<int32_t>({}, {5})).ok());
  EXPECT_NE(train(*e, 0, 1).front(), la.front());
}

} // namespace
