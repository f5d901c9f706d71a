using System.Diagnostics;
using System.Text.Json;
using Sustain.Cli;

namespace Sustain.Core.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sustain-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string SmallCycloneDx = """
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "metadata": { "component": { "bom-ref": "app", "type": "application", "name": "shop" } },
          "components": [
            { "bom-ref": "a", "type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0" },
            { "bom-ref": "b", "type": "library", "name": "core", "version": "7.24.0", "purl": "pkg:npm/%40babel/core@7.24.0" },
            { "bom-ref": "c", "type": "library", "name": "no-purl" }
          ],
          "dependencies": [
            { "ref": "app", "dependsOn": ["a"] },
            { "ref": "a", "dependsOn": ["b"] },
            { "ref": "b", "dependsOn": ["c"] }
          ]
        }
        """;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SustainCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Purl_parse_json_gives_the_canonical_form_and_parts()
    {
        var (code, output, _) = Run("purl", "parse", "pkg:NPM/%40Babel/Core@7.24.0?b=2&a=1#lib/x", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["canonical", "type", "namespace", "name", "version", "qualifiers", "subpath"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pkg:npm/%40babel/core@7.24.0?a=1&b=2#lib/x", root.GetProperty("canonical").GetString());
        Assert.Equal("@babel", root.GetProperty("namespace").GetString());
        Assert.Equal("1", root.GetProperty("qualifiers").GetProperty("a").GetString());
        Assert.Equal("lib/x", root.GetProperty("subpath").GetString());
    }

    [Fact]
    public void Purl_parse_json_writes_null_for_absent_parts()
    {
        var (code, output, _) = Run("purl", "parse", "pkg:cargo/serde", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("namespace").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("version").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("qualifiers").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("subpath").ValueKind);
    }

    [Fact]
    public void An_invalid_purl_exits_2_with_one_line_on_stderr()
    {
        var (code, output, error) = Run("purl", "parse", "npm/left-pad");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("invalid package URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_json_summarises_the_document()
    {
        var file = Write("shop.cdx.json", SmallCycloneDx);

        var (code, output, error) = Run("sbom", "inspect", file, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("cyclonedx-json", root.GetProperty("format").GetString());
        Assert.Equal("1.5", root.GetProperty("specVersion").GetString());
        Assert.Equal(3, root.GetProperty("components").GetInt32());
        Assert.Equal(2, root.GetProperty("uniquePurls").GetInt32());
        Assert.Equal(1, root.GetProperty("withoutPurl").GetInt32());
        Assert.Equal(3, root.GetProperty("edges").GetInt32());
        Assert.Equal(["app"], root.GetProperty("roots").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, root.GetProperty("direct").GetInt32());
        Assert.Equal(3, root.GetProperty("maxDepth").GetInt32());
        Assert.Equal(["pkg:npm/%40babel/core@7.24.0", "pkg:npm/left-pad@1.3.0"], root.GetProperty("purls").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public void Inspect_prints_a_readable_summary()
    {
        var file = Write("shop.cdx.json", SmallCycloneDx);

        var (code, output, _) = Run("sbom", "inspect", file);

        Assert.Equal(0, code);
        Assert.Contains("cyclonedx-json 1.5", output, StringComparison.Ordinal);
        Assert.Contains("pkg:npm/left-pad@1.3.0", output, StringComparison.Ordinal);
        Assert.Contains("maximum depth   3", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_of_a_bad_document_exits_2_naming_the_place()
    {
        var file = Write("broken.json", """{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [ { "name": "x", } """);

        var (code, output, error) = Run("sbom", "inspect", file, "--json");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("broken.json", error, StringComparison.Ordinal);
        Assert.Matches("line \\d+, column \\d+|\\$\\.", error);
    }

    [Fact]
    public void Inspect_of_a_missing_file_exits_2()
    {
        var (code, _, error) = Run("sbom", "inspect", Path.Combine(_directory, "nope.json"));

        Assert.Equal(2, code);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_arguments_exit_2()
    {
        var (code, _, error) = Run("sbom", "inspect");

        Assert.Equal(2, code);
        Assert.StartsWith("sustain:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_process_returns_the_exit_codes_and_prints_no_stack_trace()
    {
        var file = Write("garbage.json", "this is not an SBOM at all");
        var cli = Path.Combine(AppContext.BaseDirectory, "sustain.dll");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "sbom", "inspect", file })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.DoesNotContain(" at ", stderr, StringComparison.Ordinal);
        Assert.Contains("not a recognised SBOM", stderr, StringComparison.Ordinal);
    }
}
