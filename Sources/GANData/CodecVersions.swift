import GANTensor
import CImageCodecs

/// Versions of the image and compression libraries linked in.
public var codecVersions: String { String(cString: gk_codec_versions()) }
