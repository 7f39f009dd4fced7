// Each *_binding.cc adds its functions to the addon's exports.
#pragma once

#include <napi.h>

namespace selu_napi {

constexpr int kMaxThreads = 256;

void register_runtime(Napi::Env env, Napi::Object exports);
void register_selu(Napi::Env env, Napi::Object exports);
void register_dropout(Napi::Env env, Napi::Object exports);
void register_moments(Napi::Env env, Napi::Object exports);
void register_half(Napi::Env env, Napi::Object exports);

}  // namespace selu_napi
