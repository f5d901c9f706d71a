using System.Text.Json;
using System.Xml;
using BenchmarkDotNet.Attributes;
using Sustain.Core.Sboms;

namespace Sustain.Benchmarks;

/// <summary>
/// Reading a 50,000-component document in each format, against the floor: a bare reader pass over
/// the same bytes that builds nothing. The target is at least a third of the floor's throughput.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class SbomReadingBenchmarks
{
    private byte[] _cycloneDxJson = [];
    private byte[] _spdxJson = [];
    private byte[] _cycloneDxXml = [];

    [Params(50_000)]
    public int Components { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sbom = new SyntheticSbom(Components);
        _cycloneDxJson = sbom.CycloneDxJson();
        _spdxJson = sbom.SpdxJson();
        _cycloneDxXml = sbom.CycloneDxXml();
    }

    [Benchmark(Baseline = true, Description = "floor: Utf8JsonReader pass")]
    [BenchmarkCategory("cyclonedx-json")]
    public int CycloneDxJsonFloor() => JsonFloor(_cycloneDxJson);

    [Benchmark(Description = "SbomReader.Read")]
    [BenchmarkCategory("cyclonedx-json")]
    public int CycloneDxJson() => Read(_cycloneDxJson);

    [Benchmark(Baseline = true, Description = "floor: Utf8JsonReader pass")]
    [BenchmarkCategory("spdx-json")]
    public int SpdxJsonFloor() => JsonFloor(_spdxJson);

    [Benchmark(Description = "SbomReader.Read")]
    [BenchmarkCategory("spdx-json")]
    public int SpdxJson() => Read(_spdxJson);

    [Benchmark(Baseline = true, Description = "floor: XmlReader pass")]
    [BenchmarkCategory("cyclonedx-xml")]
    public int CycloneDxXmlFloor() => XmlFloor(_cycloneDxXml);

    [Benchmark(Description = "SbomReader.Read")]
    [BenchmarkCategory("cyclonedx-xml")]
    public int CycloneDxXml() => Read(_cycloneDxXml);

    private static int Read(byte[] bytes) => SbomReader.Read(new MemoryStream(bytes, writable: false)).Components.Count;

    /// <summary>Streams the bytes through a reader in 64 KiB chunks, as the real reader does, touching every token.</summary>
    internal static int JsonFloor(byte[] bytes)
    {
        var tokens = 0;
        var state = default(JsonReaderState);
        var offset = 0;
        while (true)
        {
            var end = Math.Min(bytes.Length, offset + 64 * 1024);
            var final = end == bytes.Length;
            var reader = new Utf8JsonReader(bytes.AsSpan(offset, end - offset), final, state);
            while (reader.Read())
                tokens++;
            offset += (int)reader.BytesConsumed;
            state = reader.CurrentState;
            if (final)
                return tokens;
        }
    }

    internal static int XmlFloor(byte[] bytes)
    {
        var nodes = 0;
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true });
        while (reader.Read())
        {
            nodes++;
            if (reader.NodeType == XmlNodeType.Element)
                nodes += reader.AttributeCount;
        }

        return nodes;
    }
}
