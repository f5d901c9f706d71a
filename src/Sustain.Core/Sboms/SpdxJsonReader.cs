namespace Sustain.Core.Sboms;

internal static class SpdxJsonReader
{
    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var builder = new SbomBuilder(SbomFormat.CycloneDxJson, options);
        _ = stream;
        throw new SbomFormatException(string.Empty, "not implemented");
    }
}
