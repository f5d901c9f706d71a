using System.Text.RegularExpressions;
using Sustain.Core.Sboms;
using Sustain.Core.Tests.Corpus;

namespace Sustain.Core.Tests.Sboms;

/// <summary>
/// Every SPDX document of the shared corpus, read through the public entry point and checked against
/// the counts its folder's SOURCES.md gives, so the corpus stays the one source of the expected numbers.
/// </summary>
public sealed partial class SpdxCorpusTests
{
    private static readonly string[] DependencyTypes =
    [
        "DEPENDS_ON", "DEPENDENCY_OF", "RUNTIME_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "TEST_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "CONTAINS", "CONTAINED_BY", "STATIC_LINK", "DYNAMIC_LINK",
        "dependsOn", "contains", "hasDynamicLink", "hasStaticLink", "hasOptionalDependency", "hasProvidedDependency",
    ];

    public static TheoryData<string> SpdxFiles => CorpusFiles.Theory("spdx");

    public static TheoryData<string> Negatives => CorpusFiles.Theory("invalid/tool-test-negatives");

    [SkippableTheory]
    [MemberData(nameof(SpdxFiles))]
    public void Reads_each_corpus_document_with_the_counts_its_sources_give(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var path = CorpusFiles.PathOf(file);
        if (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            var refused = Assert.Throws<SbomFormatException>(() => SbomReader.Read(path));
            Assert.Contains("YAML", refused.Message, StringComparison.Ordinal);
            return;
        }

        var expected = Expected(path);
        var document = SbomReader.Read(path);

        Assert.Equal(expected.Packages, document.ComponentCount);
        if (expected.WithPurl is { } withPurl)
            Assert.Equal(withPurl, document.Components.Count(c => c.PurlText is not null));
        Assert.Equal(expected.HasDependencyRelationship, document.HasDependencyGraph);
        if (expected.Describes)
            Assert.NotEmpty(document.Roots);
        Assert.StartsWith(expected.Version, document.SpecVersion, StringComparison.Ordinal);
        Assert.DoesNotContain(document.Warnings, w => w.Message.Contains("not a component of this document", StringComparison.Ordinal));
        Assert.All(document.Edges, e => Assert.NotEqual(e.From, e.To));
    }

    [SkippableTheory]
    [MemberData(nameof(Negatives))]
    public void Refuses_each_negative_with_a_located_message_or_reads_it_with_warnings(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var path = CorpusFiles.PathOf(file);
        try
        {
            var document = SbomReader.Read(path);
            Assert.NotEmpty(document.Warnings);
        }
        catch (SbomFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Problem));
        }
    }

    [SkippableFact]
    public void Refuses_the_document_whose_package_has_a_null_name_saying_which()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var e = Assert.Throws<SbomFormatException>(() => SbomReader.Read(CorpusFiles.PathOf("invalid/tool-test-negatives/tools-java-BadJSON.spdx.json")));
        Assert.Equal("$.packages[1].name", e.Location);
    }

    [SkippableFact]
    public void Refuses_a_version_that_is_a_number()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var e = Assert.Throws<SbomFormatException>(() => SbomReader.Read(CorpusFiles.PathOf("invalid/tool-test-negatives/guac-invalid-spdx.json")));
        Assert.Equal("$.spdxVersion", e.Location);
    }

    [SkippableFact]
    public void Reads_trivys_DESCRIBE_as_DESCRIBES_with_one_warning()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var document = SbomReader.Read(CorpusFiles.PathOf("invalid/tool-test-negatives/tools-python-invalid-spdx-trivy-vmware_log-intelligence-fluentd.json"));
        Assert.Equal(514, document.ComponentCount);
        Assert.Single(document.Warnings, w => w.Message.Contains("'DESCRIBE'", StringComparison.Ordinal) && w.Message.Contains("DESCRIBES", StringComparison.Ordinal));
        var root = Assert.Single(document.Roots);
        Assert.Equal("SPDXRef-ContainerImage-83c3ff25d55771a4", document.Components[root].Ref);
        Assert.Equal(513, document.Edges.Count);
    }

    [SkippableFact]
    public void Reads_the_UTF16_document_like_its_UTF8_original()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var utf16 = SbomReader.Read(CorpusFiles.PathOf("spdx/tools-tests/tools-python-SPDXJSONExample-UTF-16.spdx.json"));
        var utf8 = SbomReader.Read(CorpusFiles.PathOf("spdx/spec-examples/SPDXJSONExample-v2.2.spdx.json"));
        Assert.Equal(utf8.Components.Select(c => (c.Ref, c.Name, c.Version, c.PurlText)), utf16.Components.Select(c => (c.Ref, c.Name, c.Version, c.PurlText)));
        Assert.Equal(utf8.Edges, utf16.Edges);
    }

    private static Row Expected(string path)
    {
        var name = Path.GetFileName(path);
        var sources = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(path)!, "SOURCES.md"));
        var cells = sources
            .Select(line => line.Split('|').Select(c => c.Trim()).ToArray())
            .Single(c => c.Length > 7 && c[1] == name);
        var contents = cells[6];
        var withPurl = WithPurl().Match(contents);
        var relationships = contents.Contains("relationships:", StringComparison.Ordinal) ? contents[(contents.IndexOf("relationships:", StringComparison.Ordinal) + 14)..] : string.Empty;
        var types = relationships.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split(' ')[0]);
        return new Row(
            int.Parse(Packages().Match(contents).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            withPurl.Success ? int.Parse(withPurl.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            types.Any(t => DependencyTypes.Contains(t, StringComparer.Ordinal)),
            types.Any(t => t.StartsWith("DESCRIBE", StringComparison.OrdinalIgnoreCase)),
            Version().Match(contents).Groups[1].Value);
    }

    [GeneratedRegex(@"(\d+) packages")]
    private static partial Regex Packages();

    [GeneratedRegex(@"(\d+) with purl")]
    private static partial Regex WithPurl();

    [GeneratedRegex(@"SPDX[- ](\d\.\d)")]
    private static partial Regex Version();

    private sealed record Row(int Packages, int? WithPurl, bool HasDependencyRelationship, bool Describes, string Version);
}
