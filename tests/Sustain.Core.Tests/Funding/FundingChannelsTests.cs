using Sustain.Core.Funding;

namespace Sustain.Core.Tests.Funding;

public class FundingChannelsTests
{
    private static FundingJson Json(string channels) =>
        Assert.IsType<FundingJsonResult.Manifest>(FundingJson.Parse(
            $$$"""{"version": "v1.1.0", "entity": {"type": "other", "role": "other", "name": "N", "email": "n@example.com", "description": "d", "webpageUrl": {"url": "https://n.example"}}, "funding": {"channels": [{{{channels}}}], "plans": []}}""")).Json;

    [Fact]
    public void Counts_a_channel_named_by_both_files_once_with_both_sources()
    {
        var yml = FundingYml.Parse("github: Zulip\npatreon: zulip\nko_fi: zulip");
        var json = Json("""
            {"guid": "gh", "type": "payment-provider", "address": "https://github.com/sponsors/zulip"},
            {"guid": "patreon", "type": "payment-provider", "address": "https://patreon.com/zulip/"},
            {"guid": "oc", "type": "payment-provider", "address": "https://opencollective.com/zulip"}
            """);

        var channels = FundingChannels.From(yml, json);

        Assert.Equal(
            [
                (FundingPlatform.GitHubSponsors, FundingSources.FundingYml | FundingSources.FundingJson),
                (FundingPlatform.Patreon, FundingSources.FundingYml | FundingSources.FundingJson),
                (FundingPlatform.KoFi, FundingSources.FundingYml),
                (FundingPlatform.OpenCollective, FundingSources.FundingJson),
            ],
            channels.All.Select(c => (c.Channel.Platform, c.Sources)));
        Assert.Equal("Zulip", channels.All[0].Channel.Handle);
        Assert.False(channels.IsEmpty);
    }

    [Fact]
    public void Counts_a_custom_link_to_a_known_platform_as_that_platforms_channel()
    {
        var yml = FundingYml.Parse("buy_me_a_coffee: ada\ncustom: [\"https://www.buymeacoffee.com/ada/\", example.com/give]");
        var json = Json("""{"guid": "give", "type": "other", "address": "https://example.com/give/"}""");

        var channels = FundingChannels.From(yml, json);

        Assert.Equal(2, channels.All.Count);
        Assert.Equal(FundingPlatform.BuyMeACoffee, channels.All[0].Channel.Platform);
        Assert.Equal(FundingSources.FundingYml | FundingSources.FundingJson, channels.All[1].Sources);
    }

    [Fact]
    public void Counts_community_bridge_and_lfx_crowdfunding_for_one_project_once()
    {
        var channels = FundingChannels.From(FundingYml.Parse("community_bridge: cf\nlfx_crowdfunding: cf"), null);

        Assert.Equal(FundingPlatform.CommunityBridge, Assert.Single(channels.All).Channel.Platform);
    }

    [Fact]
    public void Turns_manifest_channels_into_platform_custom_and_direct_channels()
    {
        var json = Json("""
            {"guid": "ko", "type": "payment-provider", "address": "https://ko-fi.com/ada"},
            {"guid": "pp", "type": "payment-provider", "address": "https://www.paypal.me/ada"},
            {"guid": "bank", "type": "bank", "address": "Account: 12345 (branch: ABCX)"},
            {"guid": "mail", "type": "other", "address": "ada@example.com"},
            {"guid": "cash", "type": "cash"}
            """);

        var channels = FundingChannels.From(null, json);

        Assert.Equal(
            [
                new FundingChannel(FundingPlatform.KoFi, "ada", new Uri("https://ko-fi.com/ada")),
                new FundingChannel(FundingPlatform.Custom, "https://www.paypal.me/ada", new Uri("https://www.paypal.me/ada")),
                new FundingChannel(FundingPlatform.Direct, "Account: 12345 (branch: ABCX)", null),
                new FundingChannel(FundingPlatform.Direct, "ada@example.com", null),
                new FundingChannel(FundingPlatform.Direct, "cash", null),
            ],
            channels.All.Select(c => c.Channel));
        Assert.All(channels.All, c => Assert.Equal(FundingSources.FundingJson, c.Sources));
    }

    [Fact]
    public void Keeps_different_pages_on_one_site_apart()
    {
        var channels = FundingChannels.From(FundingYml.Parse("custom: [https://example.com/a, https://example.com/b, https://example.com/a?x=1]"), null);

        Assert.Equal(3, channels.All.Count);
    }

    [Fact]
    public void Is_empty_without_files_or_with_a_template_left_blank()
    {
        Assert.True(FundingChannels.From(null, null).IsEmpty);
        Assert.True(FundingChannels.From(FundingYml.Parse("github:\npatreon: # your name\n"), Json("")).IsEmpty);
    }
}
