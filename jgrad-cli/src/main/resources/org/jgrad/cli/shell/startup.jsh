// jgrad shell's startup: the imports README.md's snippets assume (DocSnippetsTest keeps the two equal).
import java.nio.file.Path;
import java.util.List;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.loss.*;
import org.jgrad.optim.*;
import org.jgrad.tensor.*;
import org.jgrad.train.*;
import org.jgrad.vision.datasets.BundledDatasets;
import org.jgrad.vision.models.Models;
