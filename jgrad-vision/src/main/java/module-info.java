/**
 * Computer vision on jgrad: datasets (IDX/MNIST, CIFAR-10, image folders, the bundled digits and
 * iris), the model zoo with torchvision's layer names, transfer learning, image reading and filters,
 * the Fourier transform, the classic k-NN and linear classifiers, and hand-made image features (HoG,
 * colour histograms, bags of visual words).
 */
module org.jgrad.vision {
    requires transitive org.jgrad.core;
    // Images are read and written with ImageIO, and BufferedImage appears in ImageFiles' API.
    requires transitive java.desktop;

    exports org.jgrad.vision.audio;
    exports org.jgrad.vision.classic;
    exports org.jgrad.vision.datasets;
    exports org.jgrad.vision.features;
    exports org.jgrad.vision.fft;
    exports org.jgrad.vision.filters;
    exports org.jgrad.vision.image;
    exports org.jgrad.vision.models;
    exports org.jgrad.vision.models.keras;
    exports org.jgrad.vision.tools;
    exports org.jgrad.vision.transfer;
    exports org.jgrad.vision.text;
    exports org.jgrad.vision.transforms;
}
