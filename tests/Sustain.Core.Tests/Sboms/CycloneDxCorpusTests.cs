using System.Globalization;
using System.Text.RegularExpressions;
using Sustain.Core.Sboms;
using Sustain.Core.Tests.Corpus;

namespace Sustain.Core.Tests.Sboms;

/// <summary>Real CycloneDX documents, checked against the counts their folder's SOURCES.md gives, which stays the single source of them.</summary>
public partial class CycloneDxCorpusTests
{
    /// <summary>Where the model rightly holds fewer edges than the document lists.</summary>
    private static readonly Dictionary<string, string> FewerEdges = new(StringComparer.Ordinal)
    {
        ["valid-bom-1.2.json"] = "its only dependency is a component on itself",
        ["valid-bom-1.5.json"] = "its only dependency is a component on itself",
        ["saasbom-apigateway-microservices.1.4.json"] = "its dependencies are between services, which are not components",
        ["valid-service-1.6.json"] = "its dependency is on a service, which is not a component",
    };

    /// <summary>
    /// Invalid documents Sustain reads anyway, and why. Each names an SPDX licence id that is not on the
    /// SPDX list; checking that needs the list itself, which Sustain does not carry, and the licence
    /// is kept as written.
    /// </summary>
    private static readonly HashSet<string> ReadDespiteInvalidLicenceId = new(StringComparer.Ordinal)
    {
        "invalid-license-id-1.4.json",
        "invalid-license-id-1.6.json",
        "invalid-license-id-1.6.xml",
        "invalid-metadata-license-1.4.json",
        "invalid-metadata-license-1.6.json",
        "invalid-metadata-license-1.6.xml",
    };

    public static TheoryData<string> Examples => CorpusFiles.Theory("cyclonedx/bom-examples");

    public static TheoryData<string> SpecValid => CorpusFiles.Theory("cyclonedx/spec-valid");

    public static TheoryData<string> Invalid
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in InvalidFiles())
                data.Add(file);
            if (data.Count == 0)
                data.Add(string.Empty);
            return data;
        }
    }

    private static IEnumerable<string> InvalidFiles() =>
        CorpusFiles.Under("invalid/cyclonedx-spec-1.4").Concat(CorpusFiles.Under("invalid/cyclonedx-spec-1.6"));

    [SkippableTheory]
    [MemberData(nameof(Examples))]
    [MemberData(nameof(SpecValid))]
    public void Reads_a_valid_document_with_the_counts_its_sources_give(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var expected = Expectation.For(file);

        var document = SbomReader.Read(CorpusFiles.PathOf(file));

        Assert.Equal(expected.Format, document.Format);
        Assert.Equal(expected.SpecVersion, document.SpecVersion);
        Assert.Equal(expected.Components, document.ComponentCount);
        Assert.Equal(expected.WithPurl, document.Components.Count(c => !c.IsMetadataComponent && c.PurlText is not null));
        Assert.Equal(expected.Edges is not null, document.HasDependencyGraph);
        if (expected.Edges is { } edges)
        {
            if (FewerEdges.ContainsKey(Path.GetFileName(file)))
                Assert.True(document.Edges.Count < edges, $"{document.Edges.Count} edges, expected fewer than {edges}");
            else
                Assert.Equal(edges, document.Edges.Count);
            Assert.True(document.Edges.Select(e => e.From).Distinct().Count() <= expected.Nodes);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Invalid))]
    public void Refuses_an_invalid_document_saying_where_or_reads_it_with_warnings(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var name = Path.GetFileName(file);

        SbomDocument document;
        try
        {
            document = SbomReader.Read(CorpusFiles.PathOf(file));
        }
        catch (SbomFormatException error)
        {
            Assert.DoesNotContain(name, ReadDespiteInvalidLicenceId);
            Assert.Matches(@"^(\$|line \d+, column \d+)", error.Location);
            Assert.NotEmpty(error.Problem);
            return;
        }

        if (!ReadDespiteInvalidLicenceId.Contains(name))
            Assert.Contains(document.Warnings, w => w.Message.Contains("duplicate component", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Refuses_each_kind_of_invalid_document_for_its_own_reason()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);

        var problems = InvalidFiles()
            .Where(file => !ReadDespiteInvalidLicenceId.Contains(Path.GetFileName(file)))
            .Select(file => (File: Path.GetFileName(file), Problem: ProblemOf(file)))
            .ToList();

        Assert.All(problems, p => Assert.True(
            KeywordsOf(p.File).Any(k => p.Problem.Contains(k, StringComparison.OrdinalIgnoreCase)),
            $"{p.File}: '{p.Problem}' does not say {string.Join(" or ", KeywordsOf(p.File))}"));
    }

    private static string ProblemOf(string file)
    {
        try
        {
            var document = SbomReader.Read(CorpusFiles.PathOf(file));
            return string.Join("; ", document.Warnings);
        }
        catch (SbomFormatException error)
        {
            return error.Problem;
        }
    }

    /// <summary>Words one of which the message must contain, from what the file's name says is wrong with it.</summary>
    private static string[] KeywordsOf(string file) => InvalidKind().Match(file).Groups[1].Value switch
    {
        "component-ref" => ["bom-ref", "duplicate component"],
        "bomformat" => ["CycloneDX"],
        "component-swid" => ["SWID"],
        "component-type" => ["component type"],
        "dependency" => ["ref"],
        "empty-component" => ["no name"],
        "hash-alg" => ["hash algorithm"],
        "hash-md5" => ["MD5"],
        "hash-sha1" => ["SHA-1"],
        "hash-sha256" => ["SHA-256"],
        "hash-sha512" => ["SHA-512"],
        "issue-type" => ["issue type"],
        "license-choice" or "license-declared-concluded-mix" => ["expression"],
        "license-encoding" => ["encoding"],
        "license-id-count" => ["more than one <id>"],
        "license-name-count" => ["more than one <name>"],
        "license-missing-id-and-name" => ["neither"],
        "metadata-timestamp" => ["date and time"],
        "missing-component-type" => ["no type"],
        "namespace" => ["version"],
        "patch-type" => ["patch type"],
        "properties" => ["property"],
        "scope" => ["scope"],
        "serialnumber" => ["serial"],
        "service-data" => ["data flow"],
        var kind => throw new InvalidOperationException($"no expectation for '{kind}' ({file})"),
    };

    [GeneratedRegex(@"^invalid-(.+)-1\.\d\.(json|xml)$")]
    private static partial Regex InvalidKind();

    private sealed partial record Expectation(SbomFormat Format, string SpecVersion, int Components, int WithPurl, int? Nodes, int? Edges)
    {
        private static readonly Dictionary<string, Dictionary<string, Expectation>> Folders = new(StringComparer.Ordinal);

        public static Expectation For(string file)
        {
            var folder = Path.GetDirectoryName(file)!;
            if (!Folders.TryGetValue(folder, out var rows))
            {
                rows = Parse(File.ReadAllLines(CorpusFiles.PathOf(Path.Combine(folder, "SOURCES.md"))));
                Folders[folder] = rows;
            }

            return rows.TryGetValue(Path.GetFileName(file), out var expectation)
                ? expectation
                : throw new InvalidOperationException($"SOURCES.md in {folder} has no row for {Path.GetFileName(file)}");
        }

        /// <summary>Reads rows such as "| bom.json | ... | CycloneDX-JSON 1.6; 3 components; 0 with purl; dependencies 4 nodes/2 edges | notes |".</summary>
        private static Dictionary<string, Expectation> Parse(IEnumerable<string> lines)
        {
            var rows = new Dictionary<string, Expectation>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var cells = line.Split('|');
                if (cells.Length < 8)
                    continue;
                var contents = Contents().Match(cells[6]);
                if (!contents.Success)
                    continue;
                var graph = Graph().Match(cells[6]);
                rows[cells[1].Trim()] = new Expectation(
                    contents.Groups["format"].Value == "JSON" ? SbomFormat.CycloneDxJson : SbomFormat.CycloneDxXml,
                    contents.Groups["version"].Value,
                    Number(contents.Groups["components"]),
                    Number(contents.Groups["purls"]),
                    graph.Success ? Number(graph.Groups["nodes"]) : null,
                    graph.Success ? Number(graph.Groups["edges"]) : null);
            }

            return rows;
        }

        private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

        [GeneratedRegex(@"CycloneDX-(?<format>JSON|XML) (?<version>[\d.]+); (?<components>\d+) components( \(\d+ nested\))?; (?<purls>\d+) with purl")]
        private static partial Regex Contents();

        [GeneratedRegex(@"dependencies (?<nodes>\d+) nodes/(?<edges>\d+) edges")]
        private static partial Regex Graph();
    }
}
