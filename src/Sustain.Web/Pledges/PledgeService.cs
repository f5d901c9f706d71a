using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Data;
using Sustain.Data.Allocations;
using Sustain.Data.Pledges;
using Sustain.Web.Organisations;
using Sustain.Web.Payments;

namespace Sustain.Web.Pledges;

/// <summary>Starts a pledge: checks the snapshot, stores the pledge, and opens the gateway's checkout.</summary>
public sealed class PledgeService(IDbContextFactory<SustainDbContext> contexts, IPaymentGateway gateway)
{
    /// <summary>What one payment of a pledge is: the snapshot's yearly budget, or a twelfth of it each month (rounded down to the minor unit).</summary>
    public static Money AmountPerPayment(Money budget, PledgeFrequency frequency) =>
        frequency == PledgeFrequency.Monthly ? new Money(budget.Minor / 12, budget.Currency) : budget;

    public async Task<AllocationSnapshot?> FindSnapshotAsync(OrgAccess access, Guid snapshotId, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await db.AllocationSnapshots.AsNoTracking().Include(s => s.Shares)
            .SingleOrDefaultAsync(s => s.Id == snapshotId && s.OrganisationId == access.Organisation.Id, cancellation);
    }

    /// <summary>Creates the pledge and its checkout; the URL to send the payer to, or why not.</summary>
    public async Task<(Pledge? Pledge, Uri? CheckoutUrl, string? Error)> StartAsync(OrgAccess access, Guid snapshotId, PledgeFrequency frequency, Uri appBase, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(appBase);
        if (!access.IsAdmin)
            return (null, null, "Only an owner or admin of the organisation can pledge its money.");
        var snapshot = await FindSnapshotAsync(access, snapshotId, cancellation);
        if (snapshot is null)
            return (null, null, "That allocation does not exist in this organisation.");
        if (!snapshot.Shares.Any(s => s.AmountMinor > 0))
            return (null, null, "That allocation gives nothing to any project, so there is nothing to pay.");
        if (!Currency.TryFind(snapshot.Currency, out var currency))
            return (null, null, $"The allocation's currency '{snapshot.Currency}' is not one Sustain can take payments in.");
        var amount = AmountPerPayment(new Money(snapshot.AllocatedMinor, currency), frequency);
        if (amount.Minor <= 0)
            return (null, null, $"{amount} is too little to pay; raise the budget first.");

        var pledge = new Pledge
        {
            OrganisationId = access.Organisation.Id,
            SnapshotId = snapshot.Id,
            Frequency = frequency,
            AmountMinor = amount.Minor,
            Currency = currency.Code,
            Gateway = gateway.Name,
            CreatedByUserId = access.UserId,
            Status = PledgeStatus.AwaitingPayment,
        };
        var pledgePath = new Uri(appBase, $"app/{access.Organisation.Slug}/pledges/{pledge.Id}/");
        CheckoutSession checkout;
        try
        {
            checkout = await gateway.CreateCheckoutAsync(new CheckoutRequest(
                pledge.Id,
                access.Organisation.Id,
                frequency == PledgeFrequency.OneOff ? CheckoutMode.Payment : CheckoutMode.Subscription,
                frequency switch { PledgeFrequency.Monthly => BillingInterval.Month, PledgeFrequency.Yearly => BillingInterval.Year, _ => null },
                amount,
                $"Sustain pledge: {access.Organisation.Name}, {snapshot.Label ?? "allocation of " + snapshot.CreatedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}",
                new Uri(pledgePath, "success"),
                new Uri(pledgePath, "cancelled")), cancellation);
        }
        catch (GatewayUnavailableException e)
        {
            return (null, null, $"The payment provider could not start a checkout: {e.Message} Nothing was charged; try again.");
        }

        pledge.CheckoutSessionId = checkout.Id;
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync(cancellation);
        return (pledge, checkout.Url, null);
    }
}
