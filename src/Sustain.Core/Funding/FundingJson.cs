namespace Sustain.Core.Funding;

/// <summary>
/// A FLOSS/fund <c>funding.json</c> manifest (https://fundingjson.org, v1.0.0 and v1.1.0): who asks
/// for money, for which projects, through which channels and on which plans. Read with
/// <see cref="Parse(string)"/>; what the reader tolerated is in <see cref="Warnings"/>.
/// </summary>
public sealed class FundingJson
{
    /// <summary>Real manifests are a few KiB; a file past this is refused unread.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The <c>version</c> as written ("v1.0.0"); optional since v1.1.0.</summary>
    public string? Version { get; init; }

    /// <summary>The <c>$schema</c> URL as written, when there is one.</summary>
    public string? Schema { get; init; }

    /// <summary>Who asks for the money; null only when the manifest lacks it (a warning says so).</summary>
    public FundingEntity? Entity { get; init; }

    public required IReadOnlyList<FundingProject> Projects { get; init; }

    public required IReadOnlyList<PaymentChannel> Channels { get; init; }

    public required IReadOnlyList<FundingPlan> Plans { get; init; }

    public required IReadOnlyList<FundingHistoryYear> History { get; init; }

    /// <summary><c>funding.description</c>: no schema has it, but manifests write it.</summary>
    public string? FundingDescription { get; init; }

    public required IReadOnlyList<FundingWarning> Warnings { get; init; }

    /// <summary>
    /// Reads a funding.json: a <see cref="FundingJsonResult.Manifest"/>, or a
    /// <see cref="FundingJsonResult.NotAManifest"/> for a file of that name in another format. Throws
    /// <see cref="FundingFormatException"/> for text that is not JSON (with line and column) or is too large, and nothing else.
    /// </summary>
    public static FundingJsonResult Parse(ReadOnlySpan<byte> utf8) => FundingJsonReader.Read(utf8);

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    public static FundingJsonResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
            throw FundingJsonReader.TooLarge(text.Length);
        return FundingJsonReader.Read(System.Text.Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>What a file named funding.json turned out to be.</summary>
public abstract record FundingJsonResult
{
    private FundingJsonResult()
    {
    }

    /// <summary>A FLOSS/fund manifest, read.</summary>
    public sealed record Manifest(FundingJson Json) : FundingJsonResult;

    /// <summary>JSON, but not a FLOSS/fund manifest (an Optimism RetroPGF <c>{"opRetro": …}</c> file, say), and why.</summary>
    public sealed record NotAManifest(string Reason) : FundingJsonResult;
}

public enum EntityType
{
    Individual,
    Group,
    Organisation,
    Other,
}

public enum EntityRole
{
    Owner,
    Steward,
    Maintainer,
    Contributor,
    Other,
}

public enum PaymentChannelType
{
    Bank,
    PaymentProvider,
    Cheque,
    Cash,
    Other,
}

public enum PlanStatus
{
    Active,
    Inactive,
}

public enum PlanFrequency
{
    OneTime,
    Weekly,
    Fortnightly,
    Monthly,
    Yearly,
    Other,
}

/// <summary>A web page and, when its host is not the manifest's, the <c>.well-known/funding-manifest-urls</c> that proves the link.</summary>
public sealed record ManifestUrl(string Url, string? WellKnown);

public sealed record FundingEntity(
    EntityType Type,
    EntityRole Role,
    string Name,
    string Email,
    string? Phone,
    string Description,
    ManifestUrl? WebpageUrl);

/// <summary>A project the money is for. <see cref="Licenses"/> are as written ("spdx:MIT"); <see cref="Tags"/> are lower-cased.</summary>
public sealed record FundingProject(
    string Guid,
    string Name,
    string Description,
    ManifestUrl? WebpageUrl,
    ManifestUrl? RepositoryUrl,
    IReadOnlyList<string> Licenses,
    IReadOnlyList<string> Tags);

/// <summary>A way to receive money. <see cref="Address"/> is free text: an account, an e-mail address, a payment page URL.</summary>
public sealed record PaymentChannel(string Guid, PaymentChannelType Type, string? Address, string? Description);

/// <summary>
/// A funding plan. <see cref="Amount"/> is the manifest's major-unit number read exactly into minor
/// units of <see cref="Currency"/>; it is null when the currency is one Sustain does not know or the
/// number does not fit it (a warning says which). <see cref="IsAnyAmount"/> is the spec's wildcard: amount 0.
/// </summary>
public sealed record FundingPlan(
    string Guid,
    PlanStatus Status,
    string Name,
    string? Description,
    Money? Amount,
    bool IsAnyAmount,
    string Currency,
    PlanFrequency Frequency,
    IReadOnlyList<string> Channels);

/// <summary>One year of funding history, its amounts in minor units of <see cref="Currency"/> (null when absent or unreadable).</summary>
public sealed record FundingHistoryYear(int Year, Money? Income, Money? Expenses, Money? Taxes, string Currency, string? Description);
