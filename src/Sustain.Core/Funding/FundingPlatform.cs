namespace Sustain.Core.Funding;

/// <summary>Where a funding channel takes money: a platform GitHub's FUNDING.yml names, a custom URL, or a direct channel.</summary>
public enum FundingPlatform
{
    GitHubSponsors,
    Patreon,
    OpenCollective,
    KoFi,
    Tidelift,
    CommunityBridge,
    Liberapay,
    IssueHunt,
    LfxCrowdfunding,
    Polar,
    BuyMeACoffee,
    ThanksDev,

    /// <summary>A web page of the project's own choosing: FUNDING.yml <c>custom</c>, or a funding.json channel address that is a URL of no known platform.</summary>
    Custom,

    /// <summary>A funding.json channel with no web address: a bank transfer, a cheque, cash, an e-mail address to ask.</summary>
    Direct,
}
