using System.Globalization;
using Sustain.Core;
using Sustain.Core.Projects;

namespace Sustain.Web.Allocations;

public enum LimitKind
{
    None,
    Percent,
    Amount,
}

public enum PinKind
{
    Percent,
    Amount,
}

public sealed class ProductWeightRow
{
    public required string Slug { get; init; }

    public required string Name { get; init; }

    public double Weight { get; set; } = 1;
}

public sealed class PinRow
{
    public string Project { get; set; } = "";

    public PinKind Kind { get; set; } = PinKind.Percent;

    public string Value { get; set; } = "";
}

/// <summary>
/// What the policy page edits: the stored settings in the form a person types them (amounts in major
/// units, shares in percent, one excluded project a line). <see cref="Validate"/> turns it back into
/// settings, or says what is wrong and where; field names are the properties' names.
/// </summary>
public sealed class PolicyForm
{
    public const double MaxProductWeight = 1000;
    public const int MaxExcluded = 5000;
    public const int MaxPins = 500;

    public string Currency { get; set; } = "USD";

    /// <summary>The organisation's own yearly budget in major units; empty when it has none.</summary>
    public string Budget { get; set; } = "";

    public double Alpha { get; set; } = 0.5;

    public List<ProductWeightRow> ProductWeights { get; set; } = [];

    public bool ExcludeOwnProjects { get; set; } = true;

    public bool ExcludeCompanyOwned { get; set; } = true;

    public bool ExcludeArchived { get; set; } = true;

    /// <summary>One project a line: a key (github.com/owner/repo) or a repository URL.</summary>
    public string ExcludeList { get; set; } = "";

    public List<PinRow> Pins { get; set; } = [];

    public bool Criticality { get; set; }

    public bool Need { get; set; }

    public LimitKind MinimumKind { get; set; }

    public string MinimumValue { get; set; } = "";

    public LimitKind MaximumKind { get; set; }

    public string MaximumValue { get; set; } = "";

    public double EngineeringSharePercent { get; set; } = 5;

    public int HoursPerDeveloperYear { get; set; } = PolicySettings.DefaultHoursPerDeveloperYear;

    public int HoursPerMergedPullRequest { get; set; } = 8;

    public static PolicyForm Of(StoredPolicy policy, IEnumerable<(string Slug, string Name)> products)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var settings = policy.Settings;
        var currency = policy.Currency;
        return new PolicyForm
        {
            Currency = currency.Code,
            Budget = policy.Budget is { } budget ? budget.ToAmountString() : "",
            Alpha = settings.Alpha,
            ProductWeights = [.. products.Select(p => new ProductWeightRow { Slug = p.Slug, Name = p.Name, Weight = settings.ProductWeights.GetValueOrDefault(p.Slug, 1) })],
            ExcludeOwnProjects = settings.ExcludeOwnProjects,
            ExcludeCompanyOwned = settings.ExcludeCompanyOwned,
            ExcludeArchived = settings.ExcludeArchived,
            ExcludeList = string.Join('\n', settings.ExcludeList),
            Pins = [.. settings.Pins.Select(p => p.AmountMinor is { } amount
                ? new PinRow { Project = p.ProjectKey, Kind = PinKind.Amount, Value = new Money(amount, currency).ToAmountString() }
                : new PinRow { Project = p.ProjectKey, Kind = PinKind.Percent, Value = Percent(p.BasisPoints ?? 0) })],
            Criticality = settings.Criticality,
            Need = settings.Need,
            MinimumKind = KindOf(settings.Minimum),
            MinimumValue = ValueOf(settings.Minimum, currency),
            MaximumKind = KindOf(settings.Maximum),
            MaximumValue = ValueOf(settings.Maximum, currency),
            EngineeringSharePercent = settings.EngineeringSharePercent,
            HoursPerDeveloperYear = settings.HoursPerDeveloperYear,
            HoursPerMergedPullRequest = settings.HoursPerMergedPullRequest,
        };
    }

    /// <summary>The settings this form says, or the errors by field (empty when valid).</summary>
    public (StoredPolicy? Policy, Dictionary<string, string> Errors) Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Core.Currency.TryFind(Currency?.Trim().ToUpperInvariant(), out var currency))
        {
            errors[nameof(Currency)] = $"'{Currency}' is not an ISO 4217 currency code Sustain knows; use three letters such as USD, EUR or JPY.";
            return (null, errors);
        }

        Money? budget = null;
        if (!string.IsNullOrWhiteSpace(Budget))
        {
            if (!Money.TryParse(Budget.Replace(",", "", StringComparison.Ordinal), currency, out var parsed, out var error))
                errors[nameof(Budget)] = $"Budget: {error}.";
            else if (parsed.Minor == 0)
                errors[nameof(Budget)] = "Budget: give an amount above zero, or leave it empty to use the suggested budget.";
            else
                budget = parsed;
        }

        if (!double.IsFinite(Alpha) || Alpha is < 0 or > 1)
            errors[nameof(Alpha)] = "The share passed on must be between 0 and 1 (0.5 passes half on).";

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in ProductWeights)
        {
            if (!double.IsFinite(row.Weight) || row.Weight is < 0 or > MaxProductWeight)
                errors[$"{nameof(ProductWeights)}.{row.Slug}"] = $"{row.Name}: a weight is a number from 0 to {MaxProductWeight:N0}.";
            else if (row.Weight != 1)
                weights[row.Slug] = row.Weight;
        }

        if (ProductWeights.Count > 0 && ProductWeights.All(r => r.Weight == 0))
            errors[nameof(ProductWeights)] = "At least one product needs a weight above zero, or nothing can be funded.";

        var excluded = new List<string>();
        var lines = (ExcludeList ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            if (!ProjectKey.TryFromRepositoryUrl(line, out var key, out var reason))
            {
                errors[nameof(ExcludeList)] = $"Exclude list, line {i + 1}: {reason}. Give one repository a line, such as github.com/owner/repo.";
                break;
            }

            if (!excluded.Contains(key, StringComparer.Ordinal))
                excluded.Add(key);
        }

        if (excluded.Count > MaxExcluded)
            errors[nameof(ExcludeList)] = $"The exclude list has {excluded.Count:N0} projects; the most is {MaxExcluded:N0}.";

        var pins = ValidatePins(currency, excluded, errors);
        var minimum = ValidateLimit("Minimum share", MinimumKind, MinimumValue, nameof(MinimumValue), currency, errors);
        var maximum = ValidateLimit("Maximum share", MaximumKind, MaximumValue, nameof(MaximumValue), currency, errors);
        if (minimum is not null && maximum is not null && !errors.ContainsKey(nameof(MinimumValue)) && !errors.ContainsKey(nameof(MaximumValue)) && MinimumAboveMaximum(minimum, maximum, budget))
            errors[nameof(MinimumValue)] = "The minimum share is above the maximum share: no project could receive anything.";

        if (!double.IsFinite(EngineeringSharePercent) || EngineeringSharePercent is < 0 or > 100)
            errors[nameof(EngineeringSharePercent)] = "The share of engineering time is a percentage from 0 to 100.";
        if (HoursPerDeveloperYear is < 1 or > 8784)
            errors[nameof(HoursPerDeveloperYear)] = "Hours per developer per year must be from 1 to 8,784 (every hour of a leap year).";
        if (HoursPerMergedPullRequest is < 1 or > 1000)
            errors[nameof(HoursPerMergedPullRequest)] = "Hours per merged pull request must be from 1 to 1,000.";

        if (errors.Count > 0)
            return (null, errors);

        var settings = new PolicySettings
        {
            Alpha = Alpha,
            ProductWeights = weights,
            ExcludeOwnProjects = ExcludeOwnProjects,
            ExcludeCompanyOwned = ExcludeCompanyOwned,
            ExcludeArchived = ExcludeArchived,
            ExcludeList = excluded,
            Pins = pins,
            Criticality = Criticality,
            Need = Need,
            Minimum = minimum,
            Maximum = maximum,
            EngineeringSharePercent = EngineeringSharePercent,
            HoursPerDeveloperYear = HoursPerDeveloperYear,
            HoursPerMergedPullRequest = HoursPerMergedPullRequest,
        };
        return (new StoredPolicy(currency, budget, settings), errors);
    }

    private List<PinSetting> ValidatePins(Currency currency, List<string> excluded, Dictionary<string, string> errors)
    {
        var pins = new List<PinSetting>();
        if (Pins.Count > MaxPins)
        {
            errors[nameof(Pins)] = $"There are {Pins.Count:N0} pins; the most is {MaxPins:N0}.";
            return pins;
        }

        var totalBasisPoints = 0L;
        for (var i = 0; i < Pins.Count; i++)
        {
            var row = Pins[i];
            var where = $"Pin {i + 1}";
            if (string.IsNullOrWhiteSpace(row.Project) && string.IsNullOrWhiteSpace(row.Value))
                continue;
            if (!ProjectKey.TryFromRepositoryUrl(row.Project, out var key, out var reason))
            {
                errors[$"{nameof(Pins)}.{i}"] = $"{where}: {reason}. Name the project as github.com/owner/repo.";
                continue;
            }

            if (pins.Any(p => p.ProjectKey == key))
            {
                errors[$"{nameof(Pins)}.{i}"] = $"{where}: {key} is pinned twice; keep one pin per project.";
                continue;
            }

            if (excluded.Contains(key, StringComparer.Ordinal))
            {
                errors[$"{nameof(Pins)}.{i}"] = $"{where}: {key} is also on the exclude list; an excluded project's pin would be ignored.";
                continue;
            }

            if (row.Kind == PinKind.Percent)
            {
                if (!TryParsePercent(row.Value, out var basisPoints, out var error))
                {
                    errors[$"{nameof(Pins)}.{i}"] = $"{where}: {error}";
                    continue;
                }

                totalBasisPoints += basisPoints;
                pins.Add(new PinSetting(key, basisPoints, null));
            }
            else if (!Money.TryParse(row.Value?.Replace(",", "", StringComparison.Ordinal), currency, out var amount, out var error))
            {
                errors[$"{nameof(Pins)}.{i}"] = $"{where}: {error}.";
            }
            else
            {
                pins.Add(new PinSetting(key, null, amount.Minor));
            }
        }

        if (totalBasisPoints > 10_000)
            errors[nameof(Pins)] = $"The pins add up to {Percent((int)Math.Min(totalBasisPoints, int.MaxValue))}% of the budget; together they can take at most 100%.";
        return pins;
    }

    private static LimitSetting? ValidateLimit(string label, LimitKind kind, string value, string field, Currency currency, Dictionary<string, string> errors)
    {
        if (kind == LimitKind.Percent)
        {
            if (TryParsePercent(value, out var basisPoints, out var error))
                return new LimitSetting(basisPoints, null);
            errors[field] = $"{label}: {error}";
        }
        else if (kind == LimitKind.Amount)
        {
            if (Money.TryParse(value?.Replace(",", "", StringComparison.Ordinal), currency, out var amount, out var error))
                return new LimitSetting(null, amount.Minor);
            errors[field] = $"{label}: {error}.";
        }

        return null;
    }

    /// <summary>Compares a minimum and a maximum; a percentage against an amount only when the budget is known.</summary>
    private static bool MinimumAboveMaximum(LimitSetting minimum, LimitSetting maximum, Money? budget)
    {
        if (minimum.BasisPoints is { } minBp && maximum.BasisPoints is { } maxBp)
            return minBp > maxBp;
        if (minimum.AmountMinor is { } minAmount && maximum.AmountMinor is { } maxAmount)
            return minAmount > maxAmount;
        if (budget is not { } b)
            return false;
        var min = minimum.AmountMinor is { } a ? (Int128)a * 10_000 : (Int128)b.Minor * minimum.BasisPoints!.Value;
        var max = maximum.AmountMinor is { } c ? (Int128)c * 10_000 : (Int128)b.Minor * maximum.BasisPoints!.Value;
        return min > max;
    }

    /// <summary>Reads a percentage of at most two decimals ("12.5") as basis points (1250).</summary>
    public static bool TryParsePercent(string? text, out int basisPoints, out string error)
    {
        basisPoints = 0;
        var trimmed = (text ?? "").Trim().TrimEnd('%').Trim();
        if (trimmed.Length == 0)
        {
            error = "give a percentage of the budget, such as 10 or 2.5.";
            return false;
        }

        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
        {
            error = $"'{text}' is not a percentage (digits, optionally a point and up to two decimals, such as 2.5).";
            return false;
        }

        if (percent > 100)
        {
            error = $"{trimmed}% is more than the whole budget; give 100 or less.";
            return false;
        }

        var scaled = percent * 100;
        if (scaled != decimal.Truncate(scaled))
        {
            error = $"{trimmed}% has more than two decimals; Sustain keeps shares to hundredths of a percent.";
            return false;
        }

        basisPoints = (int)scaled;
        error = "";
        return true;
    }

    public static string Percent(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    private static LimitKind KindOf(LimitSetting? limit) =>
        limit is null ? LimitKind.None : limit.AmountMinor is not null ? LimitKind.Amount : LimitKind.Percent;

    private static string ValueOf(LimitSetting? limit, Currency currency) => limit switch
    {
        { AmountMinor: { } amount } => new Money(amount, currency).ToAmountString(),
        { BasisPoints: { } basisPoints } => Percent(basisPoints),
        _ => "",
    };
}

/// <summary>An organisation's policy as read: the currency, its own budget (if any) and the settings.</summary>
public sealed record StoredPolicy(Currency Currency, Money? Budget, PolicySettings Settings)
{
    public static StoredPolicy Default { get; } = new(Core.Currency.USD, null, PolicySettings.Default);
}
