using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Jobs;
using Sustain.Data.Ledger;
using Sustain.Data.Payouts;
using Sustain.Testing.Fakes.Stripe;

namespace Sustain.E2E;

/// <summary>
/// Kills the real app, as a crashed machine would stop, at random points of a payout run, and starts it again
/// each time: Stripe sees each maintainer's transfer made exactly once, and the ledger ends balanced.
/// </summary>
// In the browser collection so its several app processes never start beside a browser test, whose timeouts they would eat into.
[Collection(BrowserCollection.Name)]
public sealed class PayoutCrashTests
{
    private const int Maintainers = 10;
    private const int Kills = 6;

    [Fact]
    public async Task A_payout_run_killed_at_random_points_pays_each_maintainer_exactly_once()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var directory = Directory.CreateTempSubdirectory("sustain-payout-crash-").FullName;
        var connection = $"Data Source={Path.Combine(directory, "sustain.db")}";
        var settings = new Dictionary<string, string>(stripe.SustainSettings)
        {
            ["Database:ConnectionString"] = connection,
            ["Demo:Seed"] = "false",
            ["Jobs:PollInterval"] = "00:00:00.200",
            ["Jobs:LeaseDuration"] = "00:00:02",
            // Ten transfers take at least four seconds, longer than any life below, so no life finishes the run.
            ["Payouts:PauseBeforeTransfer"] = "00:00:00.400",
        };
        try
        {
            // The first start creates the database; the payable balances and the run are then put in place while it is down.
            await using (var first = await SustainServer.StartAsync(settings))
                await first.KillAsync();
            var owed = await SeedAsync(connection, stripe);

            var random = new Random();
            for (var kill = 0; kill < Kills; kill++)
            {
                await using var server = await SustainServer.StartAsync(settings);
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 3_000)));
                await server.KillAsync();
            }

            await using (var last = await SustainServer.StartAsync(settings))
            {
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (await PaidCountAsync(connection) < Maintainers && DateTime.UtcNow < deadline)
                    await Task.Delay(250);
                Assert.True(await PaidCountAsync(connection) == Maintainers, $"Not every payout was paid within 90 s:\n{last.Log}");
            }

            var transfers = stripe.Transfers;
            Assert.Equal(Maintainers, transfers.Count);
            Assert.Equal(Maintainers, transfers.Select(t => t.IdempotencyKey).Distinct().Count());
            foreach (var (account, amount) in owed)
                Assert.Equal(amount, Assert.Single(transfers, t => t.Destination == account).Amount);

            await using var db = Open(connection);
            Assert.Empty(await db.LedgerLines.GroupBy(l => new { l.PostingId, l.Currency }).Where(g => g.Sum(l => l.AmountMinor) != 0).Select(g => g.Key.PostingId).ToListAsync());
            var balances = await db.LedgerLines.GroupBy(l => l.Account).Select(g => new { g.Key, Sum = g.Sum(l => l.AmountMinor) }).ToDictionaryAsync(g => g.Key, g => g.Sum);
            Assert.All(balances.Where(b => b.Key.StartsWith("maintainer:", StringComparison.Ordinal)), b => Assert.Equal(0, b.Value));
            Assert.Equal(0, balances.GetValueOrDefault("payouts:in-transit"));
            Assert.Equal(owed.Values.Sum(), balances["payouts:paid"]);
            Assert.Equal(Maintainers, await db.Payouts.CountAsync());
            // The kills did land mid-run: the run was taken up again after at least one of them.
            var run = await db.Jobs.SingleAsync(j => j.IdempotencyKey == "crash-test");
            Assert.True(run.Attempts > 1, $"The run finished in one attempt; no kill interrupted it (attempts {run.Attempts}, payout attempts {string.Join(",", await db.Payouts.Select(p => p.Attempts).ToListAsync())}).");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static SustainDbContext Open(string connection) =>
        new((DbContextOptions<SustainDbContext>)new DbContextOptionsBuilder<SustainDbContext>().UseSustainDatabase(DatabaseProvider.Sqlite, connection).Options);

    private static async Task<int> PaidCountAsync(string connection)
    {
        await using var db = Open(connection);
        return await db.Payouts.CountAsync(p => p.State == PayoutState.Paid);
    }

    /// <summary>Maintainers owed money with onboarded Stripe accounts, and a payout run queued: each account and what it is owed.</summary>
    private static async Task<Dictionary<string, long>> SeedAsync(string connection, FakeStripe stripe)
    {
        await using var db = Open(connection);
        var owed = new Dictionary<string, long>(StringComparer.Ordinal);
        var posting = new LedgerPosting { Kind = "payment", Description = "Money owed to maintainers, put in place by the crash test" };
        for (var i = 0; i < Maintainers; i++)
        {
            var user = new SustainUser { UserName = $"crash-{i}@example.test", Email = $"crash-{i}@example.test", NormalizedUserName = $"CRASH-{i}@EXAMPLE.TEST", NormalizedEmail = $"CRASH-{i}@EXAMPLE.TEST" };
            db.Users.Add(user);
            var account = stripe.AddAccount(payoutsEnabled: true);
            db.ConnectedAccounts.Add(new ConnectedAccount { UserId = user.Id, AccountId = account.Id, Gateway = "stripe", PayoutsEnabled = true, DetailsSubmitted = true, ChargesEnabled = true });
            var amount = 10_000 + (i * 1_111);
            owed[account.Id] = amount;
            posting.Lines.Add(new LedgerLine { Account = $"maintainer:{user.Id}:payable", Currency = "USD", AmountMinor = amount });
        }

        posting.Lines.Add(new LedgerLine { Account = $"org:{Guid.NewGuid():D}:payments-clearing", Currency = "USD", AmountMinor = -owed.Values.Sum() });
        db.LedgerPostings.Add(posting);
        var now = DateTimeOffset.UtcNow;
        db.Jobs.Add(new Job
        {
            Kind = "payouts.run",
            IdempotencyKey = "crash-test",
            Payload = JsonSerializer.Serialize(new { name = "payouts.run", at = now }),
            State = JobState.Queued,
            MaxAttempts = 100,
            NextRunAt = now,
            CreatedAt = now,
        });
        await db.SaveChangesAsync();
        return owed;
    }
}
