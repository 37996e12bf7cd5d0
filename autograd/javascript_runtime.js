"use strict";
// The functions the code written by autograd.javascript calls: Python's float arithmetic where it
// differs from JavaScript's (Python raises where JavaScript gives Infinity or NaN, and
// 1.0 ** NaN is 1.0 in Python), the errors as the engine words them, and Python's way of
// writing a number in a message.

const raised = (python, message) => Object.assign(new Error(message), { python });

function fail(python, message) {
  throw raised(python, message);
}

function div(a, b) {
  if (b === 0) throw raised("ZeroDivisionError", "float division by zero");
  return a / b;
}

const isOdd = (y) => Math.abs(y) % 2 === 1;

// x ** y for floats, case by case as CPython's float_pow takes them, then the platform's pow.
function pow(x, y) {
  if (y === 0) return 1;
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return x === 1 ? 1 : y;
  if (!Number.isFinite(y)) {
    const size = Math.abs(x);
    return size === 1 ? 1 : (y > 0) === (size > 1) ? Infinity : 0;
  }
  if (!Number.isFinite(x)) {
    if (y > 0) return isOdd(y) ? x : Infinity;
    return isOdd(y) ? (x > 0 ? 0 : -0) : 0;
  }
  if (x === 0) {
    if (y < 0) throw raised("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    return isOdd(y) ? x : 0;
  }
  let negate = false;
  if (x < 0) {
    if (!Number.isInteger(y)) throw raised("TypeError", `(${py(x)}) ** ${py(y)}`); // Python: a complex number
    negate = isOdd(y);
    x = -x;
  }
  if (x === 1) return negate ? -1 : 1;
  const z = Math.pow(x, y);
  if (z === Infinity) throw raised("OverflowError", "(34, 'Numerical result out of range')");
  return negate ? -z : z;
}

function exp(x) {
  const y = Math.exp(x);
  if (y === Infinity && x !== Infinity) throw raised("OverflowError", "math range error");
  return y;
}

function log(x) {
  if (x <= 0) throw raised("ValueError", "math domain error");
  return Math.log(x);
}

function sqrt(x) {
  if (x < 0) throw raised("ValueError", "math domain error");
  return Math.sqrt(x);
}

function sin(x) {
  if (x === Infinity || x === -Infinity) throw raised("ValueError", "math domain error");
  return Math.sin(x);
}

function cos(x) {
  if (x === Infinity || x === -Infinity) throw raised("ValueError", "math domain error");
  return Math.cos(x);
}

// Whether f(...operands) raises the Python exception `python` (a rule that catches it decides on it).
function fails(python, f, ...operands) {
  try {
    f(...operands);
    return false;
  } catch (error) {
    if (error.python === python) return true;
    throw error;
  }
}

// A number as Python's repr writes a float: 1.0, 0.0001, 1e-05, 1e+16, -0.0, inf, nan.
function py(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, power] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(power);
  const sign = x < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${shown}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
}

// An error raised while node `node` (made by `op`) was computed, as the engine raises it: an
// overflow, a division by zero or a math function's domain error names the op and its operands,
// and a complex number (pow's TypeError) what gave it ("the value of root()").
function failed(error, node, op, overflows, divides, domain, complex) {
  let named = error;
  if (error.python === "OverflowError") named = raised("OverflowError", overflows);
  if (error.python === "ZeroDivisionError") named = raised("ZeroDivisionError", `${divides}: ${error.message}`);
  if (error.python === "ValueError" && error.message === "math domain error") named = raised("ValueError", domain);
  if (error.python === "TypeError") {
    named = raised("TypeError", `${complex} needs a real number, got the complex number ${error.message}`);
  }
  return Object.assign(named, { node, op });
}

// The numbers given for the leaves or the constants, each checked; an entry left out of the
// constants takes its recorded number.
function numbers(given, defaults, what, all) {
  if (!Array.isArray(given)) throw new TypeError(`backprop() needs the ${what} as an array, got ${given}`);
  if (given.length > defaults.length || (all && given.length < defaults.length)) {
    const count = all ? `${defaults.length}` : `at most ${defaults.length}`;
    throw new RangeError(`backprop() needs ${count} ${what}, got ${given.length}`);
  }
  return defaults.map((recorded, i) => {
    const x = given[i] ?? (all ? undefined : recorded);
    if (typeof x !== "number") throw new TypeError(`backprop() needs ${what}[${i}] as a number, got ${given[i]}`);
    return x;
  });
}
