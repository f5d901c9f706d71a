using System.Collections.Concurrent;
using System.Text.Json;
using Sustain.Core.Purls;
using Sustain.Core.Tests.Corpus;

namespace Sustain.Core.Tests.Purls;

/// <summary>
/// Conformance with the package-url/purl-spec test suite (corpus purl/tests) and its older single-file suite (purl/legacy),
/// one row per test case.
/// </summary>
/// <remarks>
/// "required" cases are run against the strict reader. "recommended" cases show how to normalise common problems so that
/// the data passes the required ones (purl-spec issue #942), so they are run against the lenient reader.
/// </remarks>
public class PurlCorpusTests
{
    private const string TestsFolder = "purl/tests";
    private const string LegacyFile = "purl/legacy/test-suite-data.json";

    /// <summary>
    /// Required cases that contradict other required cases, read leniently instead. Keyed by file and input.
    /// </summary>
    private static readonly Dictionary<(string File, string Input), string> ReadLeniently = new()
    {
        [("maven-test.json", "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release")] =
            "a required parse of an upper-case qualifier key that expects success, while the required gem and rpm cases expect "
            + "the same input shape to fail as ECMA-427 says keys shall be lower case; upstream fixed the gem twin of this case "
            + "(purl-spec PR #951) but not this one",
    };

    private static readonly ConcurrentDictionary<string, JsonElement[]> Files = new();

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var file in CorpusFiles.Under(TestsFolder, ".json"))
        {
            var tests = Load(file);
            for (var i = 0; i < tests.Length; i++)
                data.Add($"{Path.GetFileName(file)} #{i}: {tests[i].GetProperty("description").GetString()}", file, i);
        }

        if (data.Count == 0)
            data.Add(string.Empty, string.Empty, -1);
        return data;
    }

    public static TheoryData<string, int> LegacyCases()
    {
        var data = new TheoryData<string, int>();
        if (CorpusFiles.Available && File.Exists(CorpusFiles.PathOf(LegacyFile)))
        {
            var tests = Load(LegacyFile);
            for (var i = 0; i < tests.Length; i++)
                data.Add($"legacy #{i}: {tests[i].GetProperty("description").GetString()}", i);
        }

        if (data.Count == 0)
            data.Add(string.Empty, -1);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Conforms_to_the_purl_spec_test_case(string display, string file, int index)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var test = Load(file)[index];
        var type = test.GetProperty("test_type").GetString();
        var input = test.GetProperty("input");
        var expectFailure = test.TryGetProperty("expected_failure", out var failure) && failure.GetBoolean();
        var expected = test.TryGetProperty("expected_output", out var output) ? output : default;
        var lenient = test.GetProperty("test_group").GetString() == "recommended"
            || (input.ValueKind == JsonValueKind.String && ReadLeniently.ContainsKey((Path.GetFileName(file), input.GetString()!)));

        switch (type)
        {
            case "parse":
            {
                var ok = Read(input.GetString()!, lenient, out var purl, out var error);
                if (expectFailure)
                {
                    Assert.False(ok, $"{display}: expected a failure, read {purl}");
                    break;
                }

                Assert.True(ok, $"{display}: {error}");
                AssertParts(expected, purl!);
                break;
            }

            case "validate":
            {
                var ok = Read(input.GetString()!, lenient, out var purl, out var error);
                if (expectFailure)
                {
                    Assert.False(ok, $"{display}: expected a failure, read {purl}");
                    break;
                }

                Assert.True(ok, $"{display}: {error}");
                Assert.Equal(expected.GetString(), purl!.ToString());
                break;
            }

            case "build":
            {
                var ok = Purl.TryCreate(
                    Text(input, "type"),
                    Text(input, "namespace"),
                    Text(input, "name"),
                    Text(input, "version"),
                    Qualifiers(input),
                    Text(input, "subpath"),
                    out var purl,
                    out var error);
                if (expectFailure)
                {
                    Assert.False(ok, $"{display}: expected a failure, built {purl}");
                    break;
                }

                Assert.True(ok, $"{display}: {error}");
                Assert.Equal(expected.GetString(), purl!.ToString());
                break;
            }

            default:
                Assert.Fail($"{display}: unknown test_type '{type}'");
                break;
        }
    }

    [SkippableFact]
    public void The_required_case_read_leniently_is_still_rejected_by_the_strict_reader()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        foreach (var (_, input) in ReadLeniently.Keys)
            Assert.False(Purl.TryParse(input, out _, out _));
    }

    /// <summary>How a legacy case is checked where the current suite or type definitions have moved on.</summary>
    [Flags]
    private enum LegacyDeviation
    {
        None = 0,

        /// <summary>Not checked: the legacy expectation contradicts the current suite or type definitions.</summary>
        Skip = 1,

        /// <summary>Upper-case qualifier keys: the current required gem and rpm cases reject them, so read leniently.</summary>
        UpperCaseKeys = 2,

        /// <summary>The legacy canonical form leaves '/' unencoded in qualifier values; the current cases require %2F.</summary>
        SlashInQualifierValues = 4,

        /// <summary>The legacy subpath keeps '.' or '..' segments that the current parse rules discard.</summary>
        DotSegments = 8,
    }

    private static readonly Dictionary<string, (LegacyDeviation Deviation, string Reason)> LegacyDeviations = new()
    {
        ["invalid subpath - unencoded subpath cannot contain '..'"] = (LegacyDeviation.DotSegments, "how-to-parse discards '..' segments when reading"),
        ["invalid subpath - unencoded subpath cannot contain '.'"] = (LegacyDeviation.DotSegments, "how-to-parse discards '.' segments when reading"),
        ["Java gem can use a qualifier"] = (LegacyDeviation.UpperCaseKeys, "gem-test.json requires 'Platform=java' to fail a strict parse"),
        ["rpm often use qualifiers"] = (LegacyDeviation.UpperCaseKeys, "rpm-test.json requires 'Arch=i386' to fail a strict parse"),
        ["maven often uses qualifiers"] = (LegacyDeviation.UpperCaseKeys | LegacyDeviation.SlashInQualifierValues, "gem/rpm key case; maven-test.json encodes '/' as %2F"),
        ["maven pom reference"] = (LegacyDeviation.UpperCaseKeys | LegacyDeviation.SlashInQualifierValues, "gem/rpm key case; maven-test.json encodes '/' as %2F"),
        ["Hugging Face model with staging endpoint"] = (LegacyDeviation.SlashInQualifierValues, "huggingface-test.json encodes '/' as %2F"),
        ["MLflow model tracked in Azure Databricks (case insensitive)"] = (LegacyDeviation.SlashInQualifierValues, "mlflow-test.json encodes '/' as %2F"),
        ["MLflow model tracked in Azure ML (case sensitive)"] = (LegacyDeviation.SlashInQualifierValues, "mlflow-test.json encodes '/' as %2F"),
        ["MLflow model with unique identifiers"] = (LegacyDeviation.SlashInQualifierValues, "mlflow-test.json encodes '/' as %2F"),
        ["cpan module name are case sensitive"] = (LegacyDeviation.Skip, "cpan-test.json requires a name holding '::' (a module name) to fail"),
        ["cpan module name like distribution name"] = (LegacyDeviation.Skip, "cpan-test.json accepts pkg:cpan/URI-PackageURL, a distribution name without namespace"),
        ["invalid conan purl only namespace"] = (LegacyDeviation.Skip, "the current conan definition makes the namespace and the channel qualifier independent"),
        ["invalid conan purl only channel qualifier"] = (LegacyDeviation.Skip, "the current conan definition makes the namespace and the channel qualifier independent"),
        ["invalid cran purl without version"] = (LegacyDeviation.Skip, "the current cran definition makes the version optional, as a package identity needs"),
        ["invalid swift purl without version"] = (LegacyDeviation.Skip, "the current swift definition makes the version optional, as a package identity needs"),
    };

    [SkippableTheory]
    [MemberData(nameof(LegacyCases))]
    public void Conforms_to_the_legacy_purl_test_case(string display, int index)
    {
        Skip.If(index < 0, CorpusFiles.SkipReason);
        var test = Load(LegacyFile)[index];
        var description = test.GetProperty("description").GetString()!;
        var deviation = LegacyDeviations.TryGetValue(description, out var known) ? known.Deviation : LegacyDeviation.None;
        Skip.If(deviation.HasFlag(LegacyDeviation.Skip), $"{display}: {known.Reason}");

        var input = test.GetProperty("purl").GetString()!;
        var ok = Read(input, deviation.HasFlag(LegacyDeviation.UpperCaseKeys), out var purl, out var error);
        if (test.GetProperty("is_invalid").GetBoolean())
        {
            Assert.False(ok, $"{display}: expected a failure, read {purl}");
            return;
        }

        Assert.True(ok, $"{display}: {error}");
        if (deviation.HasFlag(LegacyDeviation.DotSegments))
            AssertParts(test, purl!, compareSubpath: false);
        else
            AssertParts(test, purl!);

        var canonical = test.GetProperty("canonical_purl").GetString()!;
        if (deviation.HasFlag(LegacyDeviation.SlashInQualifierValues))
            Assert.Equal(Purl.Parse(canonical), purl);
        else
            Assert.Equal(canonical, purl!.ToString());
        Assert.Equal(purl!.ToString(), Purl.Parse(canonical).ToString());
    }

    private static bool Read(string text, bool lenient, out Purl? purl, out string? error) =>
        lenient ? Purl.TryParseLenient(text, out purl, out error, out _) : Purl.TryParse(text, out purl, out error);

    private static void AssertParts(JsonElement expected, Purl actual, bool compareSubpath = true)
    {
        Assert.Equal(Text(expected, "type"), actual.Type);
        Assert.Equal(Text(expected, "namespace"), actual.Namespace);
        Assert.Equal(Text(expected, "name"), actual.Name);
        Assert.Equal(Text(expected, "version"), actual.Version);
        Assert.Equal(Sorted(Qualifiers(expected)), Sorted(actual.Qualifiers));
        if (compareSubpath)
            Assert.Equal(Text(expected, "subpath"), actual.Subpath);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string>? Qualifiers(JsonElement element) =>
        element.TryGetProperty("qualifiers", out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;

    private static List<KeyValuePair<string, string>>? Sorted(IReadOnlyDictionary<string, string>? qualifiers) =>
        qualifiers is null || qualifiers.Count == 0 ? null : qualifiers.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    private static JsonElement[] Load(string file) => Files.GetOrAdd(file, static f =>
    {
        using var stream = File.OpenRead(CorpusFiles.PathOf(f));
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var tests = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("tests");
        return tests.EnumerateArray().Select(t => t.Clone()).ToArray();
    });
}
