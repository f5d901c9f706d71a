using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Allocation;
using Sustain.Data;
using Sustain.Data.Allocations;
using Sustain.Data.Pledges;
using Sustain.Web.Demo;
using Sustain.Web.Payments;

namespace Sustain.Web.Pledges;

/// <summary>
/// Gives the demo organisation one paid pledge (through the simulated gateway, so the same events and
/// ledger code as a real payment), so a first visitor finds pledges, a receipt and balances to look at.
/// Runs once: only while the demo organisation has no pledge, and never with a Stripe key.
/// </summary>
public static class PledgeDemo
{
    public static async Task SeedDemoPledgeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Seed || !app.Services.GetRequiredService<IPaymentGateway>().IsSimulated)
            return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SustainDbContext>();
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Slug == DemoData.OrganisationSlug);
        if (organisation is null || await db.Pledges.AnyAsync(p => p.OrganisationId == organisation.Id))
            return;

        // The demo's own saved allocation (DemoData), paid once through the simulated gateway.
        var snapshot = await db.AllocationSnapshots.AsNoTracking()
            .Where(s => s.OrganisationId == organisation.Id)
            .OrderByDescending(s => s.CreatedAt)
            .FirstOrDefaultAsync();
        if (snapshot is null || snapshot.AllocatedMinor <= 0)
            return;

        var pledge = new Pledge
        {
            OrganisationId = organisation.Id,
            SnapshotId = snapshot.Id,
            Frequency = PledgeFrequency.OneOff,
            AmountMinor = snapshot.AllocatedMinor,
            Currency = snapshot.Currency,
            Gateway = SimulatedGateway.GatewayName,
            CheckoutSessionId = $"cs_sim_{Guid.NewGuid():N}",
        };
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<SimulatedCheckout>().PayAsync(pledge);
    }
}
