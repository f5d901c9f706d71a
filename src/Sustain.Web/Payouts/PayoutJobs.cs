using Sustain.Web.Jobs;

namespace Sustain.Web.Payouts;

public static class PayoutJobKinds
{
    public const string Run = "payouts.run";
    public const string Distribute = "payouts.distribute";
    public const string Reconcile = "payouts.reconcile";
    public const string EscrowExpiry = "payouts.escrow-expiry";
}

/// <summary>The monthly payout run, and the operator's "Run now" (the same job with a fresh occurrence).</summary>
public sealed class PayoutRunJob(PayoutRun run) : IJobHandler<RecurringOccurrence>
{
    public async Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await run.RunAsync((done, total, message) => context.ReportProgressAsync(done, total, message), context.Cancellation);
    }
}

/// <summary>Moves newly arrived escrow to maintainers, every <c>Payouts:DistributeEvery</c>.</summary>
public sealed class EscrowDistributionJob(EscrowDistributor distributor) : IJobHandler<RecurringOccurrence>
{
    public async Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await distributor.RunAsync(context.Cancellation);
        await context.ReportProgressAsync(result.LinesReleased, result.LinesReleased + result.LinesWaiting, $"{result.LinesReleased} escrow line(s) released, {result.LinesWaiting} waiting for a claim");
    }
}

/// <summary>Settles open payouts from Stripe's list of transfers, every <c>Payouts:ReconcileEvery</c>.</summary>
public sealed class PayoutReconcileJob(PayoutReconciler reconciler) : IJobHandler<RecurringOccurrence>
{
    public async Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settled = await reconciler.RunAsync(context.Cancellation);
        await context.ReportProgressAsync(settled, settled, $"{settled} payout(s) settled from Stripe's transfers");
    }
}
