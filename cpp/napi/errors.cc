#include "errors.h"

#include "sync_entry.h"

namespace selu_napi {

namespace {
using ErrorFactory = napi_status (*)(napi_env, napi_value, napi_value, napi_value*);

bool fail_with(napi_env env, ErrorFactory make, const char* code, const std::string& message, const char* argument) {
  napi_value code_value, message_value, error;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value) != napi_ok ||
      napi_create_string_utf8(env, message.c_str(), message.size(), &message_value) != napi_ok ||
      make(env, code_value, message_value, &error) != napi_ok) {
    return false;  // an exception (out of memory) is already pending
  }
  if (argument != nullptr) {
    napi_value argument_value;
    if (napi_create_string_utf8(env, argument, NAPI_AUTO_LENGTH, &argument_value) == napi_ok) {
      napi_set_named_property(env, error, "argument", argument_value);
    }
  }
  napi_throw(env, error);
  return false;
}
}  // namespace

bool fail_type_error(napi_env env, const char* code, const std::string& message, const char* argument) {
  return fail_with(env, napi_create_type_error, code, message, argument);
}

bool fail_range_error(napi_env env, const char* code, const std::string& message, const char* argument) {
  return fail_with(env, napi_create_range_error, code, message, argument);
}

void throw_type_error(Napi::Env env, const char* code, const std::string& message) {
  fail_type_error(env, code, message);
  throw Napi::Error::New(env);
}

void throw_range_error(Napi::Env env, const char* code, const std::string& message) {
  fail_range_error(env, code, message);
  throw Napi::Error::New(env);
}

napi_value make_function(napi_env env, const char* name, napi_callback cb) {
  napi_value fn;
  NAPI_THROW_IF_FAILED(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn), nullptr);
  return fn;
}

}  // namespace selu_napi
