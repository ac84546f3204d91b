package org.jgrad.vision.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.optim.ParamGroup;
import org.jgrad.optim.SGD;
import org.jgrad.vision.models.Models;
import org.junit.jupiter.api.Test;

/** The README's example: a smaller learning rate for the pretrained backbone than for the new head. */
class BackboneLearningRateTest {

    @Test
    void backboneAndHeadGetTheirOwnLearningRates() {
        Module net = Models.create("lenet5", 10, 1);
        Models.replaceHead(net, 5);
        var opt = new SGD(List.of(new ParamGroup(Transfer.backboneParameters(net)).lr(1e-3),
                                  new ParamGroup(Transfer.headParameters(net)).lr(1e-2)), 1e-2);
        assertEquals(2, opt.paramGroups().size());
        assertEquals(1e-3, opt.paramGroups().get(0).lr());
        assertEquals(1e-2, opt.paramGroups().get(1).lr());
        int total = Transfer.backboneParameters(net).size() + Transfer.headParameters(net).size();
        assertEquals(net.parameters().size(), total, "every parameter is in exactly one group");
    }
}
