using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Organisations;
using Sustain.Data.Payouts;

namespace Sustain.Data.Configurations;

internal sealed class PayoutEntityTypeConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.ConnectedAccountId).HasMaxLength(255);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.TransferId).HasMaxLength(255);
        builder.Property(p => p.LastError).HasMaxLength(500);
        builder.Ignore(p => p.IdempotencyKey);
        builder.HasIndex(p => new { p.UserId, p.CreatedAt });
        builder.HasIndex(p => p.State);
        builder.HasIndex(p => p.TransferId);
    }
}

internal sealed class ConnectedAccountEntityTypeConfiguration : IEntityTypeConfiguration<ConnectedAccount>
{
    public void Configure(EntityTypeBuilder<ConnectedAccount> builder)
    {
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.UserId).HasMaxLength(450);
        builder.Property(a => a.AccountId).HasMaxLength(255);
        builder.Property(a => a.Gateway).HasMaxLength(16);
        builder.Property(a => a.RequirementsDue).HasMaxLength(2000);
        builder.Property(a => a.DisabledReason).HasMaxLength(255);
        builder.HasIndex(a => a.AccountId).IsUnique();
    }
}

internal sealed class EscrowLineReleaseEntityTypeConfiguration : IEntityTypeConfiguration<EscrowLineRelease>
{
    public void Configure(EntityTypeBuilder<EscrowLineRelease> builder)
    {
        builder.HasKey(r => r.LineId);
        builder.Property(r => r.LineId).ValueGeneratedNever();
        builder.Property(r => r.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.HasIndex(r => r.ProjectKey);
    }
}

internal sealed class EscrowNoticeEntityTypeConfiguration : IEntityTypeConfiguration<EscrowNotice>
{
    public void Configure(EntityTypeBuilder<EscrowNotice> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(n => n.Currency).HasMaxLength(3);
        builder.Property(n => n.Text).HasMaxLength(1000);
        builder.HasIndex(n => new { n.OrganisationId, n.At });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(n => n.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
