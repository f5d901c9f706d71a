using Sustain.Core.Funding;
using Sustain.Core.Tests.Corpus;

namespace Sustain.Core.Tests.Funding;

/// <summary>
/// Every funding file of the shared corpus, read in place. The expected channels and counts were
/// taken by reading each file; a file added to the corpus fails here until its row is added.
/// </summary>
public class FundingCorpusTests
{
    private static readonly Dictionary<string, (string[] Urls, string[] UnknownKeys)> FundingYmls = new(StringComparer.Ordinal)
    {
        ["MudBlazor.FUNDING.yml"] = (["https://github.com/sponsors/mudblazor", "https://opencollective.com/mudblazor"], ["otechie"]),
        ["ardalis-CleanArchitecture.FUNDING.yml"] = (["https://github.com/sponsors/ardalis"], []),
        ["babel.FUNDING.yml"] = (["https://github.com/sponsors/hzoo", "https://www.patreon.com/henryzhu", "https://opencollective.com/babel"], []),
        ["chalk.funding.yml"] = (
            ["https://github.com/sponsors/sindresorhus", "https://opencollective.com/sindresorhus", "https://www.patreon.com/sindresorhus",
             "https://tidelift.com/funding/github/npm/chalk", "https://sindresorhus.com/donate"], []),
        ["curl.FUNDING.yml"] = (["https://github.com/sponsors/curl", "https://opencollective.com/curl"], []),
        ["eslint.FUNDING.yml"] = (["https://github.com/sponsors/eslint", "https://opencollective.com/eslint"], []),
        ["hotosm-fmtm.FUNDING.yml"] = (["https://github.com/sponsors/hotosm"], ["otechie"]),
        ["jasontaylordev-CleanArchitecture.FUNDING.yml"] = (["https://github.com/sponsors/JasonTaylorDev"], []),
        ["neovim.FUNDING.yml"] = (["https://salt.bountysource.com/teams/neovim"], []),
        ["numpy.FUNDING.yml"] = (["https://github.com/sponsors/numfocus", "https://tidelift.com/funding/github/pypi/numpy", "https://numpy.org/about#donate"], []),
        ["sveltejs-svelte.FUNDING.yml"] = (["https://opencollective.com/svelte"], []),
        ["vprusso-toqito.FUNDING.yml"] = (["https://github.com/sponsors/vprusso", "https://www.paypal.me/vincentrusso1"], []),
        ["vuejs-core.FUNDING.yml"] = (["https://opencollective.com/vuejs", "https://www.patreon.com/evanyou"], []),
        ["yt-dlp.FUNDING.yml"] = (["https://github.com/yt-dlp/yt-dlp/blob/master/Collaborators.md"], ["otechie"]),
    };

    private sealed record Expected(string Entity, int Projects, int Channels, int Plans, int History, string[] WarningsAt);

    private static readonly string[] AnnotatedTemplateWarnings =
    [
        "$.entity.type", "$.entity.role", "$.funding.channels[0].type", "$.funding.plans[0].currency", "$.funding.plans[0].status",
        "$.funding.plans[0].frequency", "$.funding.history[0].currency",
    ];

    private static readonly Dictionary<string, Expected> FundingJsons = new(StringComparer.Ordinal)
    {
        ["avamsi-climate.funding.json"] = new("Vamsi Avula", 1, 2, 2, 3, ["$.projects[0].licenses[0]"]),
        ["floss.fund-website-funding.annotated-v1.0.0.jsonc"] = new("", 1, 1, 1, 1, ["line 4, column 5", .. AnnotatedTemplateWarnings]),
        ["floss.fund-website-funding.example.json"] = new("The One (demo)", 2, 2, 3, 4, []),
        ["fundingjson.org-annotated-funding.jsonc"] = new("", 1, 1, 1, 1, ["line 4, column 5", .. AnnotatedTemplateWarnings]),
        ["fundingjson.org-example-funding.json"] = new("The One (demo)", 2, 2, 3, 4, []),
        ["hotosm-fmtm.funding.json"] = new("Humanitarian OpenStreetMap Team", 1, 1, 1, 0, ["$.projects[0].guid", "$.projects[0].licenses[0]", "$.projects[0].tags[2]"]),
        ["shigma-js-yaml.funding.json"] = new("Vitaly Puzrin", 1, 2, 3, 0, []),
        ["syncliteio-SyncLite.funding.json"] = new("SyncLite Project", 1, 1, 3, 0, []),
        ["vprusso-toqito.funding.json"] = new("Vincent Russo", 1, 2, 2, 0, []),
        ["zulip.funding.json"] = new("Kandra Labs, Inc.", 1, 3, 3, 0, ["$.entity.type"]),
    };

    public static TheoryData<string> FundingYmlFiles => CorpusFiles.Theory("funding/funding-yml", ".yml");

    public static TheoryData<string> FundingJsonFiles => CorpusFiles.Theory("funding/funding-json", ".json", ".jsonc");

    [SkippableTheory]
    [MemberData(nameof(FundingYmlFiles))]
    public void Reads_each_FUNDING_yml_with_the_channels_it_names(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var name = Path.GetFileName(file);
        Assert.True(FundingYmls.TryGetValue(name, out var expected), $"{name} is new to the corpus: read it and add its channels here");

        var funding = FundingYml.Parse(File.ReadAllText(CorpusFiles.PathOf(file)));

        Assert.Equal(expected.Urls, funding.Channels.Select(c => c.Url!.OriginalString));
        Assert.Equal(expected.UnknownKeys, funding.UnknownKeys.Keys);
        Assert.Equal(expected.UnknownKeys.Length, funding.Warnings.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(FundingJsonFiles))]
    public void Reads_each_funding_json_manifest_with_its_entity_projects_channels_and_plans(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var name = Path.GetFileName(file);
        var result = FundingJson.Parse(File.ReadAllBytes(CorpusFiles.PathOf(file)));
        if (file.Contains("not-floss-fund", StringComparison.Ordinal))
        {
            Assert.Contains("not a FLOSS/fund manifest", Assert.IsType<FundingJsonResult.NotAManifest>(result).Reason, StringComparison.Ordinal);
            return;
        }

        Assert.True(FundingJsons.TryGetValue(name, out var expected), $"{name} is new to the corpus: read it and add its counts here");
        var json = Assert.IsType<FundingJsonResult.Manifest>(result).Json;

        Assert.Equal(expected.Entity, json.Entity?.Name);
        Assert.Equal(
            (expected.Projects, expected.Channels, expected.Plans, expected.History),
            (json.Projects.Count, json.Channels.Count, json.Plans.Count, json.History.Count));
        Assert.Equal(expected.WarningsAt, json.Warnings.Select(w => w.Location));
    }

    [SkippableFact]
    public void Converts_the_corpus_plan_amounts_into_cents()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var avamsi = Read("funding/funding-json/avamsi-climate.funding.json");
        var synclite = Read("funding/funding-json/syncliteio-SyncLite.funding.json");

        Assert.Equal([0L, 4_000_000L], avamsi.Plans.Select(p => p.Amount!.Value.Minor));
        Assert.Equal([true, false], avamsi.Plans.Select(p => p.IsAnyAmount));
        Assert.Equal(new Money(25_000, Currency.USD), avamsi.History[0].Income);
        Assert.Equal([1_000L, 10_000L, 50_000L], synclite.Plans.Select(p => p.Amount!.Value.Minor));
        Assert.NotNull(synclite.FundingDescription);
    }

    [SkippableTheory]
    [InlineData("vprusso-toqito", new[] { "https://github.com/sponsors/vprusso", "https://www.paypal.me/vincentrusso1" })]
    [InlineData("hotosm-fmtm", new[] { "https://github.com/sponsors/hotosm" })]
    public void Counts_the_channels_a_projects_two_files_share_once(string project, string[] urls)
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var yml = FundingYml.Parse(File.ReadAllText(CorpusFiles.PathOf($"funding/funding-yml/{project}.FUNDING.yml")));
        var json = Read($"funding/funding-json/{project}.funding.json");

        var channels = FundingChannels.From(yml, json);

        Assert.Equal(urls, channels.All.Select(c => c.Channel.Url!.OriginalString));
        Assert.All(channels.All, c => Assert.Equal(FundingSources.FundingYml | FundingSources.FundingJson, c.Sources));
    }

    private static FundingJson Read(string file) =>
        Assert.IsType<FundingJsonResult.Manifest>(FundingJson.Parse(File.ReadAllBytes(CorpusFiles.PathOf(file)))).Json;
}
