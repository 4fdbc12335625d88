const DECIMAL_PATTERN = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** No DECIMAL is wider than 38 digits: a shift past this only ever means "too large". */
const LARGEST_USEFUL_SHIFT = 80;

/**
 * Exact decimal text (`-12.50`, `1e-7`, `.5`) → the integer `value × 10^scale`, rounded half away
 * from zero like DuckDB's own casts. `undefined` when the text is not a number. Never goes through
 * a double, so 38-digit values stay exact.
 */
export function scaledDecimalFromText(text: string, scale: number): bigint | undefined {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign, integerDigits = '', fractionDigits = '', exponentText] = match;
  if (integerDigits === '' && fractionDigits === '') return undefined;
  const digits = BigInt(`${integerDigits}${fractionDigits}` || '0');
  const shift = Number(exponentText ?? '0') - fractionDigits.length + scale;
  let scaled: bigint;
  if (digits === 0n) {
    scaled = 0n;
  } else if (shift >= 0) {
    scaled =
      shift > LARGEST_USEFUL_SHIFT ? 10n ** BigInt(LARGEST_USEFUL_SHIFT) : digits * 10n ** BigInt(shift);
  } else if (-shift > LARGEST_USEFUL_SHIFT + digits.toString().length) {
    scaled = 0n;
  } else {
    const divisor = 10n ** BigInt(-shift);
    scaled = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) scaled += 1n;
  }
  return sign === '-' ? -scaled : scaled;
}
