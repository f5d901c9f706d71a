namespace Sustain.Data.Allocations;

/// <summary>
/// An organisation's standing allocation policy: its own yearly budget and the settings that shape
/// a suggestion (α, product weights, exclusions, pins, factors, share limits, contribution targets).
/// One row per organisation; the settings are JSON because they are always read and written whole.
/// </summary>
public class OrganisationPolicy
{
    public Guid OrganisationId { get; set; }

    /// <summary>ISO 4217 code of the budget and of every amount in the settings.</summary>
    public required string Currency { get; set; }

    /// <summary>The organisation's own yearly budget in minor units; null until it sets one (the suggestion is then the suggested budget).</summary>
    public long? BudgetMinor { get; set; }

    /// <summary>The settings as JSON (<c>Sustain.Web.Allocations.PolicySettings</c>).</summary>
    public required string SettingsJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public string? UpdatedByUserId { get; set; }
}
