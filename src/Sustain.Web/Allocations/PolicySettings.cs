using System.Text.Json;
using System.Text.Json.Serialization;
using Sustain.Core;
using Sustain.Core.Allocation;

namespace Sustain.Web.Allocations;

/// <summary>A pin as stored: a share of the budget in basis points, or a fixed amount in minor units of the policy's currency.</summary>
public sealed record PinSetting(string ProjectKey, int? BasisPoints, long? AmountMinor);

/// <summary>A minimum or maximum share as stored: basis points of the budget, or an amount in minor units.</summary>
public sealed record LimitSetting(int? BasisPoints, long? AmountMinor);

/// <summary>
/// An organisation's allocation settings as stored (<see cref="Data.Allocations.OrganisationPolicy.SettingsJson"/>):
/// everything <see cref="AllocationPolicy"/> holds, plus the standing exclude list and pins (which the
/// engine takes as part of its input) and the contribution-target settings. Amounts are minor units of
/// the policy's currency.
/// </summary>
public sealed record PolicySettings
{
    public const int DefaultHoursPerDeveloperYear = 1800;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static PolicySettings Default { get; } = new();

    public double Alpha { get; init; } = AllocationPolicy.Default.Alpha;

    /// <summary>Product slug → relative weight; a product not named weighs 1.</summary>
    public IReadOnlyDictionary<string, double> ProductWeights { get; init; } = new Dictionary<string, double>();

    public bool ExcludeOwnProjects { get; init; } = true;

    public bool ExcludeCompanyOwned { get; init; } = true;

    public bool ExcludeArchived { get; init; } = true;

    /// <summary>Project keys never funded.</summary>
    public IReadOnlyList<string> ExcludeList { get; init; } = [];

    public IReadOnlyList<PinSetting> Pins { get; init; } = [];

    public bool Criticality { get; init; }

    public bool Need { get; init; }

    public LimitSetting? Minimum { get; init; }

    public LimitSetting? Maximum { get; init; }

    /// <summary>The share of engineering time given to open source, in percent (0 to 100).</summary>
    public double EngineeringSharePercent { get; init; } = 5;

    public int HoursPerDeveloperYear { get; init; } = DefaultHoursPerDeveloperYear;

    /// <summary>The engineering hours one merged pull request is counted as, for progress against the targets.</summary>
    public int HoursPerMergedPullRequest { get; init; } = 8;

    /// <summary>The engine's policy for these settings, with amounts in <paramref name="currency"/>.</summary>
    public AllocationPolicy ToPolicy(Currency currency) => new()
    {
        Alpha = Alpha,
        ProductWeights = ProductWeights,
        ExcludeOwnProjects = ExcludeOwnProjects,
        ExcludeCompanyOwned = ExcludeCompanyOwned,
        ExcludeArchived = ExcludeArchived,
        Criticality = Criticality,
        Need = Need,
        Minimum = ToLimit(Minimum, currency),
        Maximum = ToLimit(Maximum, currency),
    };

    public IReadOnlyList<Pin> ToPins(Currency currency) =>
        [.. Pins.Select(p => p.AmountMinor is { } amount ? Pin.Fixed(p.ProjectKey, new Money(amount, currency)) : Pin.Share(p.ProjectKey, p.BasisPoints ?? 0))];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads stored settings; anything unreadable falls back to the defaults rather than failing the page.</summary>
    public static PolicySettings FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return Default;
        try
        {
            return JsonSerializer.Deserialize<PolicySettings>(json, Json) ?? Default;
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    private static ShareLimit? ToLimit(LimitSetting? limit, Currency currency) => limit switch
    {
        { AmountMinor: { } amount } => ShareLimit.Of(new Money(amount, currency)),
        { BasisPoints: { } basisPoints } => ShareLimit.OfBudget(basisPoints),
        _ => null,
    };
}
