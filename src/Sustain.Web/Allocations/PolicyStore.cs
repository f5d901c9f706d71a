using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Data;
using Sustain.Data.Allocations;
using Sustain.Web.Organisations;

namespace Sustain.Web.Allocations;

/// <summary>
/// The Open Source Pledge benchmark: USD 2,000 per developer per year. Sustain suggests it in USD
/// whatever currency the policy uses, because the benchmark is set in USD and Sustain converts nothing.
/// </summary>
public static class SuggestedBudget
{
    public static readonly Money PerDeveloper = new(2_000_00, Currency.USD);

    public static Money For(int headcount) => new(checked(PerDeveloper.Minor * Math.Max(0, headcount)), Currency.USD);
}

/// <summary>Reads and saves an organisation's allocation policy. Callers have asked <see cref="OrganisationAccess"/>.</summary>
public sealed class PolicyStore(IDbContextFactory<SustainDbContext> contexts, TimeProvider clock)
{
    public async Task<StoredPolicy> ReadAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var row = await db.OrganisationPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.OrganisationId == organisationId, cancellation);
        return Of(row);
    }

    internal static StoredPolicy Of(OrganisationPolicy? row)
    {
        if (row is null || !Currency.TryFind(row.Currency, out var currency))
            return StoredPolicy.Default;
        return new StoredPolicy(currency, row.BudgetMinor is { } minor ? new Money(minor, currency) : null, PolicySettings.FromJson(row.SettingsJson));
    }

    /// <summary>Saves the form when the actor is an owner or admin and it is valid; returns the errors otherwise (key "" for the whole form).</summary>
    public async Task<Dictionary<string, string>> SaveAsync(OrgAccess actor, PolicyForm form, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(form);
        if (!actor.IsAdmin)
            return new() { [""] = "Only an owner or admin can change the allocation policy." };
        var (policy, errors) = form.Validate();
        if (policy is null)
            return errors;
        await SaveAsync(actor.Organisation.Id, policy, actor.UserId, cancellation);
        return errors;
    }

    internal async Task SaveAsync(Guid organisationId, StoredPolicy policy, string? userId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var row = await db.OrganisationPolicies.SingleOrDefaultAsync(p => p.OrganisationId == organisationId, cancellation);
        if (row is null)
        {
            row = new OrganisationPolicy { OrganisationId = organisationId, Currency = policy.Currency.Code, SettingsJson = "" };
            db.OrganisationPolicies.Add(row);
        }

        row.Currency = policy.Currency.Code;
        row.BudgetMinor = policy.Budget?.Minor;
        row.SettingsJson = policy.Settings.ToJson();
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedByUserId = userId;
        await db.SaveChangesAsync(cancellation);
    }
}
