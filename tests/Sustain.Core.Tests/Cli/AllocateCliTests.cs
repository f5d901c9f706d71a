using System.Text.Json;
using Sustain.Cli;

namespace Sustain.Core.Tests.Cli;

public sealed class AllocateCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sustain-allocate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // app -> express (-> debug -> ms), app -> react; express and debug name their repositories.
    private const string Shop = """
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "metadata": { "component": { "bom-ref": "app", "type": "application", "name": "shop" } },
          "components": [
            { "bom-ref": "express", "type": "library", "name": "express", "purl": "pkg:npm/express@4.19.2",
              "externalReferences": [ { "type": "vcs", "url": "git+https://github.com/expressjs/express.git" } ] },
            { "bom-ref": "debug", "type": "library", "name": "debug", "purl": "pkg:npm/debug@2.6.9",
              "externalReferences": [ { "type": "vcs", "url": "https://github.com/debug-js/debug" } ] },
            { "bom-ref": "ms", "type": "library", "name": "ms", "purl": "pkg:npm/ms@2.0.0" },
            { "bom-ref": "react", "type": "library", "name": "react", "purl": "pkg:npm/react@18.3.1" }
          ],
          "dependencies": [
            { "ref": "app", "dependsOn": ["express", "react"] },
            { "ref": "express", "dependsOn": ["debug"] },
            { "ref": "debug", "dependsOn": ["ms"] }
          ]
        }
        """;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (SustainCli.Run(args, stdout, stderr), stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Allocate_json_splits_the_budget_exactly_with_reasons()
    {
        var file = Write("shop.cdx.json", Shop);

        var (code, output, error) = Run("allocate", file, "--budget", "10000.00", "--currency", "USD", "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("USD", root.GetProperty("currency").GetString());
        Assert.Equal(1_000_000, root.GetProperty("budgetMinor").GetInt64());
        var shares = root.GetProperty("shares").EnumerateArray().ToList();
        Assert.Equal(1_000_000, shares.Sum(s => s.GetProperty("amountMinor").GetInt64()));
        var amounts = shares.ToDictionary(s => s.GetProperty("project").GetString()!, s => s.GetProperty("amountMinor").GetInt64());
        // Reliance: express and react get 1/2 each; react, a leaf, keeps its 1/2; express keeps 1/4 and
        // passes 1/4 to debug, which keeps 1/8 and passes 1/8 to ms, a leaf.
        Assert.Equal(500_000, amounts["pkg:npm/react"]);
        Assert.Equal(250_000, amounts["github.com/expressjs/express"]);
        Assert.Equal(125_000, amounts["github.com/debug-js/debug"]);
        Assert.Equal(125_000, amounts["pkg:npm/ms"]);
        Assert.Equal(["pkg:npm/react", "github.com/expressjs/express", "github.com/debug-js/debug", "pkg:npm/ms"], shares.Select(s => s.GetProperty("project").GetString()));
        Assert.All(shares, s => Assert.NotEmpty(s.GetProperty("reasons").EnumerateArray()));
    }

    [Fact]
    public void Zero_decimal_currencies_are_allocated_in_whole_units()
    {
        var file = Write("shop.cdx.json", Shop);

        var (code, output, _) = Run("allocate", file, "--budget", "1000", "--currency", "JPY", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1000, json.RootElement.GetProperty("budgetMinor").GetInt64());
        Assert.Equal(1000, json.RootElement.GetProperty("shares").EnumerateArray().Sum(s => s.GetProperty("amountMinor").GetInt64()));
    }

    [Theory]
    [InlineData("10.001", "USD")]
    [InlineData("-5", "USD")]
    [InlineData("ten", "USD")]
    [InlineData("100", "XYZ")]
    [InlineData("0", "USD")]
    public void A_bad_budget_exits_2_with_one_line(string budget, string currency)
    {
        var file = Write("shop.cdx.json", Shop);

        var (code, output, error) = Run("allocate", file, "--budget", budget, "--currency", currency);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--budget", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alpha_outside_zero_to_one_exits_2()
    {
        var file = Write("shop.cdx.json", Shop);

        var (code, _, error) = Run("allocate", file, "--budget", "100", "--alpha", "1.5");

        Assert.Equal(2, code);
        Assert.Contains("--alpha", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_sbom_exits_2_naming_the_file()
    {
        var file = Write("broken.json", "{ \"bomFormat\": \"CycloneDX\", ");

        var (code, _, error) = Run("allocate", file, "--budget", "100");

        Assert.Equal(2, code);
        Assert.Contains("broken.json", error, StringComparison.Ordinal);
    }
}
