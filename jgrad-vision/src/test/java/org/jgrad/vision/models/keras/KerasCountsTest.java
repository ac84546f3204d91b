package org.jgrad.vision.models.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.jgrad.nn.Summary;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Keras-layout entry has the parameter counts of the lectures' table (Keras' {@code count_params()}
 * with 1000 classes), trainable and non-trainable as Keras splits them (the non-trainable ones are the
 * batch norms' moving means and variances, printed by TensorFlow 2.21's Keras 3.15 for the same models).
 */
class KerasCountsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keras.Xception, 22910480, 22855952",
        "keras.VGG16, 138357544, 138357544",
        "keras.VGG19, 143667240, 143667240",
        "keras.ResNet50, 25636712, 25583592",
        "keras.ResNet101, 44707176, 44601832",
        "keras.ResNet152, 60419944, 60268520",
        "keras.ResNet50V2, 25613800, 25568360",
        "keras.ResNet101V2, 44675560, 44577896",
        "keras.ResNet152V2, 60380648, 60236904",
        "keras.ResNeXt50, 25097128, 25028904",
        "keras.ResNeXt101, 44315560, 44177704",
        "keras.InceptionV3, 23851784, 23817352",
        "keras.InceptionResNetV2, 55873736, 55813192",
        "keras.MobileNet, 4253864, 4231976",
        "keras.MobileNetV2, 3538984, 3504872",
        "keras.DenseNet121, 8062504, 7978856",
        "keras.DenseNet169, 14307880, 14149480",
        "keras.DenseNet201, 20242984, 20013928",
        "keras.NASNetMobile, 5326716, 5289978",
        "keras.NASNetLarge, 88949818, 88753150",
    })
    void countsAreTheLecturesTable(String name, long total, long trainable) {
        ZooModel e = ModelRegistry.get(name);
        assertEquals(ZooModel.Layout.KERAS, e.layout());
        Summary.Counts c = e.counts(e.defaultArgs());
        assertEquals(total, c.total(), "total");
        assertEquals(trainable, c.trainable(), "trainable");
        assertEquals(total - trainable, c.nonTrainable(), "non-trainable");
    }
}
