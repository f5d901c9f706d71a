using CsCheck;
using Sustain.Core.Funding;

namespace Sustain.Core.Tests.Funding;

public class FundingYmlTests
{
    [Theory]
    [InlineData("github: octocat", FundingPlatform.GitHubSponsors, "octocat", "https://github.com/sponsors/octocat")]
    [InlineData("patreon: octocat", FundingPlatform.Patreon, "octocat", "https://www.patreon.com/octocat")]
    [InlineData("open_collective: babel", FundingPlatform.OpenCollective, "babel", "https://opencollective.com/babel")]
    [InlineData("ko_fi: octocat", FundingPlatform.KoFi, "octocat", "https://ko-fi.com/octocat")]
    [InlineData("tidelift: npm/octo-package", FundingPlatform.Tidelift, "npm/octo-package", "https://tidelift.com/funding/github/npm/octo-package")]
    [InlineData("tidelift: npm/@babel/core", FundingPlatform.Tidelift, "npm/@babel/core", "https://tidelift.com/funding/github/npm/@babel/core")]
    [InlineData("community_bridge: cloud-foundry", FundingPlatform.CommunityBridge, "cloud-foundry", "https://crowdfunding.lfx.linuxfoundation.org/projects/cloud-foundry")]
    [InlineData("liberapay: octocat", FundingPlatform.Liberapay, "octocat", "https://liberapay.com/octocat")]
    [InlineData("issuehunt: octocat", FundingPlatform.IssueHunt, "octocat", "https://issuehunt.io/r/octocat")]
    [InlineData("lfx_crowdfunding: cloud-foundry", FundingPlatform.LfxCrowdfunding, "cloud-foundry", "https://crowdfunding.lfx.linuxfoundation.org/projects/cloud-foundry")]
    [InlineData("polar: octocat", FundingPlatform.Polar, "octocat", "https://polar.sh/octocat")]
    [InlineData("buy_me_a_coffee: octocat", FundingPlatform.BuyMeACoffee, "octocat", "https://buymeacoffee.com/octocat")]
    [InlineData("thanks_dev: u/gh/octocat", FundingPlatform.ThanksDev, "u/gh/octocat", "https://thanks.dev/u/gh/octocat")]
    [InlineData("thanks_dev: octocat", FundingPlatform.ThanksDev, "octocat", "https://thanks.dev/octocat")]
    [InlineData("custom: https://www.paypal.me/octocat", FundingPlatform.Custom, "https://www.paypal.me/octocat", "https://www.paypal.me/octocat")]
    public void Reads_every_platform_GitHub_documents_into_its_canonical_page(string yaml, FundingPlatform platform, string handle, string url)
    {
        var funding = FundingYml.Parse(yaml);

        var channel = Assert.Single(funding.Channels);
        Assert.Equal(new FundingChannel(platform, handle, new Uri(url)), channel);
        Assert.Empty(funding.Warnings);
    }

    [Fact]
    public void Knows_every_key_the_GitHub_template_lists()
    {
        string[] template =
        [
            "github", "patreon", "open_collective", "ko_fi", "tidelift", "community_bridge", "liberapay", "issuehunt",
            "lfx_crowdfunding", "polar", "buy_me_a_coffee", "thanks_dev", "custom",
        ];

        Assert.Equal(template.Order(StringComparer.Ordinal), FundingPlatforms.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reads_a_list_of_up_to_four_GitHub_users()
    {
        var funding = FundingYml.Parse("github: [octocat, surftocat, 'monalisa', \"hubot\"]");

        Assert.Equal(["octocat", "surftocat", "monalisa", "hubot"], funding.Channels.Select(c => c.Handle));
        Assert.All(funding.Channels, c => Assert.Equal(FundingPlatform.GitHubSponsors, c.Platform));
        Assert.Empty(funding.Warnings);
    }

    [Fact]
    public void Reads_a_block_list_as_well_as_a_flow_list()
    {
        var funding = FundingYml.Parse("github:\n  - octocat\n  - surftocat\ncustom:\n  - https://example.com/a\n  - \"https://example.com/b\"\n");

        Assert.Equal(4, funding.Channels.Count);
        Assert.Equal(new Uri("https://example.com/b"), funding.Channels[3].Url);
    }

    [Fact]
    public void Reads_GitHubs_own_example_with_a_bare_domain_among_the_custom_links()
    {
        const string yaml = """
            github: [octocat, surftocat]
            patreon: octocat
            tidelift: npm/octo-package
            custom: ["https://www.paypal.me/octocat", octocat.com]
            """;

        var funding = FundingYml.Parse(yaml);

        Assert.Equal(
            ["https://github.com/sponsors/octocat", "https://github.com/sponsors/surftocat", "https://www.patreon.com/octocat",
             "https://tidelift.com/funding/github/npm/octo-package", "https://www.paypal.me/octocat", "https://octocat.com/"],
            funding.Channels.Select(c => c.Url!.AbsoluteUri));
        Assert.Empty(funding.Warnings);
    }

    [Theory]
    [InlineData("custom: example.com/donate", "https://example.com/donate")]
    [InlineData("custom: 'paypal.me/someone'", "https://paypal.me/someone")]
    [InlineData("custom: http://example.org/give?x=1", "http://example.org/give?x=1")]
    [InlineData("custom: [\"https://example.com/a:b\"]", "https://example.com/a:b")]
    public void Gives_a_custom_link_without_a_scheme_https(string yaml, string url)
    {
        var channel = Assert.Single(FundingYml.Parse(yaml).Channels);

        Assert.Equal(new Uri(url), channel.Url);
    }

    [Theory]
    [InlineData("custom: mailto:me@example.com")]
    [InlineData("custom: ftp://example.com/pub")]
    [InlineData("custom: 'javascript:alert(1)'")]
    [InlineData("custom: Send me an e-mail")]
    [InlineData("custom: localhost")]
    public void Refuses_a_custom_link_that_is_no_web_address_with_a_warning(string yaml)
    {
        var funding = FundingYml.Parse(yaml);

        Assert.Empty(funding.Channels);
        var warning = Assert.Single(funding.Warnings);
        Assert.Equal("line 1, column 9", warning.Location);
        Assert.Contains("custom:", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_GitHubs_template_left_empty_as_no_channel_and_no_warning()
    {
        const string yaml = """
            # These are supported funding model platforms

            github: # Replace with up to 4 GitHub Sponsors-enabled usernames e.g., [user1, user2]
            patreon: # Replace with a single Patreon username
            open_collective: ~
            ko_fi: null
            tidelift: ""
            community_bridge: ''
            liberapay: []
            custom: # Replace with up to 4 custom sponsorship URLs e.g., ['link1', 'link2']
            """;

        var funding = FundingYml.Parse(yaml);

        Assert.Empty(funding.Channels);
        Assert.Empty(funding.Warnings);
    }

    [Fact]
    public void Ignores_comments_after_a_value_and_commented_out_keys()
    {
        var funding = FundingYml.Parse("github: JasonTaylorDev # Replace with up to 4\n# patreon: someone\n");

        Assert.Equal("JasonTaylorDev", Assert.Single(funding.Channels).Handle);
    }

    [Fact]
    public void An_empty_or_comment_only_file_has_no_channel()
    {
        Assert.Empty(FundingYml.Parse("").Channels);
        Assert.Empty(FundingYml.Parse("# nothing here yet\n").Channels);
        Assert.Empty(FundingYml.Parse("\n\n").Warnings);
    }

    [Fact]
    public void Keeps_an_unknown_key_with_its_values_and_a_warning()
    {
        var funding = FundingYml.Parse("github: octocat\npaypal: [me, you]\nflattr:\n");

        Assert.Single(funding.Channels);
        Assert.Equal(["me", "you"], funding.UnknownKeys["paypal"]);
        Assert.Empty(funding.UnknownKeys["flattr"]);
        Assert.Equal(2, funding.Warnings.Count);
        Assert.Equal("line 2, column 1", funding.Warnings[0].Location);
        Assert.Contains("'paypal' is not a platform GitHub documents", funding.Warnings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_otechie_is_a_platform_GitHub_no_longer_lists()
    {
        var funding = FundingYml.Parse("otechie: someone");

        Assert.Empty(funding.Channels);
        Assert.Contains("no longer lists", Assert.Single(funding.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_key_in_another_case_as_the_documented_key_with_a_warning()
    {
        var funding = FundingYml.Parse("GitHub: octocat\nOpen_Collective: babel");

        Assert.Equal([FundingPlatform.GitHubSponsors, FundingPlatform.OpenCollective], funding.Channels.Select(c => c.Platform));
        Assert.Equal(2, funding.Warnings.Count);
        Assert.Contains("'GitHub' is read as 'github'", funding.Warnings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_platform_written_twice_in_different_cases_and_warns()
    {
        var funding = FundingYml.Parse("github: a\nGITHUB: b");

        Assert.Equal(["a", "b"], funding.Channels.Select(c => c.Handle));
        Assert.Contains(funding.Warnings, w => w.Message.Contains("appears more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_the_same_key_written_twice_with_its_line()
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingYml.Parse("github: a\ngithub: b\n"));

        Assert.Equal("line 2, column 1", refused.Location);
        Assert.Equal("not valid YAML: Duplicate key github", refused.Problem);
    }

    [Fact]
    public void Reads_more_names_than_GitHub_shows_and_warns()
    {
        var funding = FundingYml.Parse("github: [a, b, c, d, e]\npatreon: [x, y]");

        Assert.Equal(7, funding.Channels.Count);
        Assert.Equal(2, funding.Warnings.Count);
        Assert.Contains("github takes up to 4", funding.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("patreon takes one name", funding.Warnings[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("patreon: https://www.patreon.com/octocat", FundingPlatform.Patreon, "octocat")]
    [InlineData("github: https://github.com/sponsors/octocat", FundingPlatform.GitHubSponsors, "octocat")]
    [InlineData("ko_fi: ko-fi.com/octocat", FundingPlatform.KoFi, "octocat")]
    [InlineData("community_bridge: https://crowdfunding.lfx.linuxfoundation.org/projects/cf", FundingPlatform.CommunityBridge, "cf")]
    public void Reads_the_name_out_of_a_page_address_given_where_a_name_belongs(string yaml, FundingPlatform platform, string handle)
    {
        var funding = FundingYml.Parse(yaml);

        var channel = Assert.Single(funding.Channels);
        Assert.Equal((platform, handle), (channel.Platform, channel.Handle));
        Assert.Contains("takes a name, not a web address", Assert.Single(funding.Warnings).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tidelift: babel", "platform-name/package-name")]
    [InlineData("patreon: https://example.com/me", "is a web address")]
    [InlineData("ko_fi: two words", "characters a ko_fi name cannot have")]
    [InlineData("github: octo/cat", "takes one name")]
    [InlineData("liberapay: '..'", "is not a liberapay name")]
    public void Refuses_a_name_that_cannot_make_a_page_with_a_warning(string yaml, string why)
    {
        var funding = FundingYml.Parse(yaml);

        Assert.Empty(funding.Channels);
        Assert.Contains(why, Assert.Single(funding.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_a_mapping_where_a_name_belongs_with_a_warning()
    {
        var funding = FundingYml.Parse("github:\n  user: octocat\npatreon: [a, [b]]");

        Assert.Equal("a", Assert.Single(funding.Channels).Handle);
        Assert.Equal(["line 2, column 3", "line 3, column 14"], funding.Warnings.Select(w => w.Location));
    }

    [Fact]
    public void Follows_anchors_and_aliases()
    {
        var funding = FundingYml.Parse("github: &me octocat\nko_fi: *me");

        Assert.Equal(["https://github.com/sponsors/octocat", "https://ko-fi.com/octocat"], funding.Channels.Select(c => c.Url!.AbsoluteUri));
    }

    [Theory]
    [InlineData("github: [octocat, surftocat\npatreon: x\n", "line 1")]
    [InlineData("github: octocat\n  patreon: x\n", "line 2")]
    [InlineData("github: \"octocat\n", "line 1")]
    [InlineData("github:\n\t- octocat\n", "line 1")]
    [InlineData("github: {octocat\n", "line 2")]
    public void Refuses_bad_YAML_saying_where(string yaml, string line)
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingYml.Parse(yaml));

        Assert.StartsWith(line + ", column ", refused.Location, StringComparison.Ordinal);
        Assert.StartsWith("not valid YAML", refused.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", refused.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- github: octocat\n", "a list")]
    [InlineData("just some text\n", "the text 'just some text'")]
    public void Refuses_a_file_that_is_not_a_mapping_of_platforms(string yaml, string found)
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingYml.Parse(yaml));

        Assert.Equal("line 1, column 1", refused.Location);
        Assert.EndsWith("this file is " + found, refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_far_larger_than_any_FUNDING_yml()
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingYml.Parse("# " + new string('x', FundingYml.MaxChars)));

        Assert.Contains("at most", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_alias_to_a_list_that_contains_it_instead_of_overflowing_the_stack()
    {
        var sequence = Assert.Throws<FundingFormatException>(() => FundingYml.Parse("github: &a [octocat, *a]\n"));
        Assert.Contains("the alias *a refers to a list or mapping that contains it", sequence.Message, StringComparison.Ordinal);
        Assert.Throws<FundingFormatException>(() => FundingYml.Parse("&m\ngithub: octocat\nself: *m\n"));

        // An alias to a finished node is plain YAML and still read.
        var shared = FundingYml.Parse("github: &who [octocat]\npatreon: monalisa\nother: *who\n");
        Assert.Equal(["octocat", "monalisa"], shared.Channels.Select(c => c.Handle));
    }

    [Theory]
    [InlineData("*a : 1\n*a : 2\n&a x : 3\n")] // overflowed the stack: two placeholders for *a compared as keys
    [InlineData("*a : x\n&a github: octocat\n")]
    [InlineData("github: *me\nko_fi: &me octocat\n")]
    public void Refuses_an_alias_before_its_anchor_instead_of_overflowing_the_stack(string yaml)
    {
        var refused = Assert.Throws<FundingFormatException>(() => FundingYml.Parse(yaml));

        Assert.Contains("comes before any anchor", refused.Problem, StringComparison.Ordinal);
        Assert.StartsWith("line ", refused.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Throws_nothing_but_a_format_error_on_any_text()
    {
        var pieces = Gen.OneOf(
            Gen.Const("github: "), Gen.Const("custom: "), Gen.Const("["), Gen.Const("]"), Gen.Const("{"), Gen.Const("}"), Gen.Const(", "),
            Gen.Const("\n"), Gen.Const("  "), Gen.Const("- "), Gen.Const("\""), Gen.Const("'"), Gen.Const("&a "), Gen.Const("*a"), Gen.Const("#"),
            Gen.Const("---\n"), Gen.Const("\t"), Gen.Const("!!str "), Gen.Const("? "), Gen.Const(": "), Gen.Const("https://x.y/"), Gen.Const("%YAML 1.2\n"),
            Gen.String[Gen.Char.AlphaNumeric, 1, 6], Gen.Char.Select(c => c.ToString()));
        pieces.Array[0, 30].Select(p => string.Concat(p)).Sample(text =>
        {
            try
            {
                FundingYml.Parse(text);
            }
            catch (FundingFormatException)
            {
            }
        }, iter: 20_000);
    }
}
