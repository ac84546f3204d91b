package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Python's repr of floats, which PyTorch's printouts are made of. */
class PyReprTest {
    @Test
    void floatsReadLikePython() {
        assertEquals("1e-05", PyRepr.pyFloat(1e-5));
        assertEquals("0.0001", PyRepr.pyFloat(1e-4));
        assertEquals("0.01", PyRepr.pyFloat(0.01));
        assertEquals("1.0", PyRepr.pyFloat(1));
        assertEquals("20.0", PyRepr.pyFloat(20));
        assertEquals("0.3333333333333333", PyRepr.pyFloat(1.0 / 3));
        assertEquals("0.125", PyRepr.pyFloat(0.125));
        assertEquals("-2.5", PyRepr.pyFloat(-2.5));
        assertEquals("123.456", PyRepr.pyFloat(123.456));
        assertEquals("1000000000000000.0", PyRepr.pyFloat(1e15));
        assertEquals("1e+16", PyRepr.pyFloat(1e16));
        assertEquals("1.5e-07", PyRepr.pyFloat(1.5e-7));
        assertEquals("1e+100", PyRepr.pyFloat(1e100));
        assertEquals("0.0", PyRepr.pyFloat(0));
        assertEquals("-0.0", PyRepr.pyFloat(-0.0));
        assertEquals("inf", PyRepr.pyFloat(Double.POSITIVE_INFINITY));
        assertEquals("nan", PyRepr.pyFloat(Double.NaN));
        assertEquals("True", PyRepr.pyBool(true));
    }
}
