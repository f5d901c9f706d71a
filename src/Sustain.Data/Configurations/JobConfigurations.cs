using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Jobs;

namespace Sustain.Data.Configurations;

internal sealed class JobEntityTypeConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasIndex(j => new { j.Kind, j.IdempotencyKey }).IsUnique();

        // The claim query: due jobs by state and time, and expired leases.
        builder.HasIndex(j => new { j.State, j.NextRunAt });
        builder.HasIndex(j => j.CreatedAt);
        builder.Property(j => j.Kind).HasMaxLength(100);
        builder.Property(j => j.IdempotencyKey).HasMaxLength(200);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        builder.Property(j => j.LastError).HasMaxLength(4000);
        builder.Property(j => j.ProgressMessage).HasMaxLength(500);
    }
}
