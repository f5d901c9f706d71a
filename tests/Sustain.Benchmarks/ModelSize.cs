using System.Runtime.CompilerServices;
using Sustain.Core.Sboms;

namespace Sustain.Benchmarks;

/// <summary>
/// The size of a read model (what stays reachable once reading is done) beside the bytes allocated
/// while reading it: the allocation target is at most three times the model.
/// </summary>
internal static class ModelSize
{
    public static void Report(SyntheticSbom sbom, TextWriter output)
    {
        Measure("cyclonedx-json", sbom.CycloneDxJson(), output);
        Measure("spdx-json", sbom.SpdxJson(), output);
        Measure("cyclonedx-xml", sbom.CycloneDxXml(), output);
    }

    // Each format in a frame of its own, so no earlier model is still held by a stack slot when the next is measured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Measure(string name, byte[] bytes, TextWriter output)
    {
        Read(bytes);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var document = Read(bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var model = after - before;
        output.WriteLine($"{name,-15} file {bytes.Length / 1048576.0,7:F1} MiB  model {model / 1048576.0,7:F1} MiB  allocated {allocated / 1048576.0,7:F1} MiB  ratio {(double)allocated / model,4:F2}x  ({document.ComponentCount:N0} components, {document.Edges.Count:N0} edges)");
        GC.KeepAlive(document);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SbomDocument Read(byte[] bytes) => SbomReader.Read(new MemoryStream(bytes, writable: false));
}
