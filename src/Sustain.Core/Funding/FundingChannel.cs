namespace Sustain.Core.Funding;

/// <summary>
/// One way to fund a project: the platform, the handle it knows the recipient by (a user name,
/// <c>npm/babel</c> for Tidelift, the URL itself for a custom link, the address text for a direct
/// channel) and the page to send a funder to. <see cref="Url"/> is null only for a
/// <see cref="FundingPlatform.Direct"/> channel.
/// </summary>
public sealed record FundingChannel(FundingPlatform Platform, string Handle, Uri? Url)
{
    public override string ToString() => Url is null ? $"{Platform}: {Handle}" : $"{Platform}: {Url}";
}

/// <summary>Something a funding reader survived and the user should know: where ("line 3, column 9", "$.projects[0].tags[2]") and what.</summary>
public sealed record FundingWarning(string Location, string Message)
{
    public override string ToString() => Location.Length == 0 ? Message : $"{Location}: {Message}";
}
