using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Allocations;
using Sustain.Data.Ledger;
using Sustain.Data.Organisations;
using Sustain.Data.Pledges;

namespace Sustain.Data.Configurations;

internal sealed class PledgeEntityTypeConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Gateway).HasMaxLength(16);
        builder.Property(p => p.CheckoutSessionId).HasMaxLength(255);
        builder.Property(p => p.SubscriptionId).HasMaxLength(255);
        builder.Property(p => p.CreatedByUserId).HasMaxLength(450);
        builder.Property(p => p.Frequency).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(24);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AllocationSnapshot>().WithMany().HasForeignKey(p => p.SnapshotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.OrganisationId, p.CreatedAt });
        builder.HasIndex(p => p.CheckoutSessionId).IsUnique();
        builder.HasIndex(p => p.SubscriptionId);
    }
}

internal sealed class PledgePaymentEntityTypeConfiguration : IEntityTypeConfiguration<PledgePayment>
{
    public void Configure(EntityTypeBuilder<PledgePayment> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.PaymentIntentId).HasMaxLength(255);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ChargeId).HasMaxLength(255);
        builder.Property(p => p.BalanceTransactionId).HasMaxLength(255);
        builder.Property(p => p.InvoiceId).HasMaxLength(255);
        builder.Property(p => p.ReceiptNumber).HasMaxLength(32);
        builder.HasIndex(p => p.PaymentIntentId).IsUnique();
        builder.HasIndex(p => p.ReceiptNumber).IsUnique();
        builder.HasIndex(p => new { p.OrganisationId, p.PaidAt });
        builder.HasIndex(p => p.PledgeId);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(p => p.PledgeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PaymentDisputeEntityTypeConfiguration : IEntityTypeConfiguration<PaymentDispute>
{
    public void Configure(EntityTypeBuilder<PaymentDispute> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(255);
        builder.Property(d => d.PaymentIntentId).HasMaxLength(255);
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.HasIndex(d => d.PaymentIntentId);
    }
}

internal sealed class LedgerPostingEntityTypeConfiguration : IEntityTypeConfiguration<LedgerPosting>
{
    public void Configure(EntityTypeBuilder<LedgerPosting> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Kind).HasMaxLength(32);
        builder.Property(p => p.EventId).HasMaxLength(255);
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.HasIndex(p => new { p.OrganisationId, p.PostedAt });
        builder.HasIndex(p => p.PostedAt);
        builder.HasIndex(p => p.RecordedAt);
        builder.HasIndex(p => p.PaymentId);
        builder.HasIndex(p => p.PayoutId);
        builder.HasIndex(p => p.EventId);
        builder.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.PostingId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LedgerLineEntityTypeConfiguration : IEntityTypeConfiguration<LedgerLine>
{
    public void Configure(EntityTypeBuilder<LedgerLine> builder)
    {
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Account).HasMaxLength(ProjectKeys.ProjectKeyLength + 20);
        builder.Property(l => l.Currency).HasMaxLength(3);
        builder.Property(l => l.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.HasIndex(l => new { l.Account, l.Currency });
        builder.HasIndex(l => l.ProjectKey);
    }
}

internal sealed class ProcessedEventEntityTypeConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Outcome).HasMaxLength(300);
        builder.HasIndex(e => e.ReceivedAt);
    }
}
