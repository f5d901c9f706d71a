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
    private static readonly (string Project, long Amount)[] Shares =
    [
        ("github.com/fasterxml/jackson-databind", 520_000),
        ("github.com/spring-projects/spring-framework", 410_000),
        ("github.com/expressjs/express", 380_000),
        ("github.com/axios/axios", 290_000),
        ("github.com/google/guava", 230_000),
        ("github.com/apache/logging-log4j2", 170_000),
    ];

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

        var snapshot = new AllocationSnapshot
        {
            OrganisationId = organisation.Id,
            Label = "Demo allocation",
            Currency = "USD",
            BudgetMinor = Shares.Sum(s => s.Amount),
            AllocatedMinor = Shares.Sum(s => s.Amount),
            PolicyJson = JsonSerializer.Serialize(AllocationPolicy.Default),
            Shares = Shares.Select(s => new AllocationSnapshotShare { ProjectKey = s.Project, AmountMinor = s.Amount, Status = "Allocated", Reliance = 0, ReasonsJson = "[]" }).ToList(),
        };
        var pledge = new Pledge
        {
            OrganisationId = organisation.Id,
            SnapshotId = snapshot.Id,
            Frequency = PledgeFrequency.OneOff,
            AmountMinor = snapshot.AllocatedMinor,
            Currency = "USD",
            Gateway = SimulatedGateway.GatewayName,
            CheckoutSessionId = $"cs_sim_{Guid.NewGuid():N}",
        };
        db.AllocationSnapshots.Add(snapshot);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<SimulatedCheckout>().PayAsync(pledge);
    }
}
