package org.jgrad.nn;

import java.math.BigDecimal;

/**
 * Formats values the way Python's {@code repr} does, so that module descriptions read exactly like
 * PyTorch's ({@code eps=1e-05}, {@code negative_slope=0.01}, {@code bias=True}).
 */
public final class PyRepr {
    private PyRepr() {}

    /** Python's {@code repr(float)}: shortest round-trip digits, {@code 1e-05}, {@code 1.0}, {@code 1e+16}. */
    public static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0.0";
        // Double.toString gives the shortest digits that round-trip (JDK 19+), like Python's repr.
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        // value = 0.digits × 10^decpt
        int decpt = digits.length() - d.scale();
        String sign = v < 0 ? "-" : "";
        // CPython's float_repr_style 'short' switches to exponent form outside -4 < decpt <= 16.
        if (decpt > -4 && decpt <= 16) {
            String s;
            if (decpt <= 0) s = "0." + "0".repeat(-decpt) + digits;
            else if (decpt >= digits.length()) s = digits + "0".repeat(decpt - digits.length()) + ".0";
            else s = digits.substring(0, decpt) + "." + digits.substring(decpt);
            return sign + s;
        }
        int exp = decpt - 1;
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    /** Python's {@code repr(bool)}. */
    public static String pyBool(boolean b) {
        return b ? "True" : "False";
    }
}
