package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Module.setSubmodule: swapping a head in place, as transfer learning does. */
class SetSubmoduleTest {

    @Test
    void replacesNestedChildInPlaceAndForwardUsesIt() {
        Sequential net = new Sequential(new Linear(4, 3), new Sequential(new ReLU(), new Linear(3, 5)));
        Module old = net.setSubmodule("1.1", new Linear(3, 2));
        assertEquals("Linear(in_features=3, out_features=5, bias=True)", old.toString());
        assertArrayEquals(new int[] {6, 2}, net.call(Tensor.zeros(6, 4)).shape());
        assertEquals(List.of("0.weight", "0.bias", "1.1.weight", "1.1.bias"), new ArrayList<>(net.stateDict().keySet()));
        Linear top = new Linear(4, 4);
        net.setSubmodule("0", top);
        assertSame(top, net.get(0)); // position kept
        assertThrows(IllegalArgumentException.class, () -> net.setSubmodule("2", new ReLU()));
        assertThrows(IllegalArgumentException.class, () -> net.setSubmodule("1.7", new ReLU()));
        assertThrows(IllegalArgumentException.class, () -> net.setSubmodule("", new ReLU()));
        assertThrows(IllegalArgumentException.class, () -> net.setSubmodule("0", null));
    }
}
