using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Maintainers;
using Sustain.Core.Projects;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Maintainers;
using Sustain.Web.Identity;
using Sustain.Web.Projects;

namespace Sustain.Web.Maintainers;

/// <summary>
/// The one path every claim takes through its lifecycle (<see cref="ClaimLifecycle"/>): started, proved through
/// GitHub, contested, ruled on, withdrawn; and admins' invitations. Each step is checked against who acts, saved
/// with its audit entry in one transaction, and answered with a message rather than an exception.
/// </summary>
public sealed partial class MaintainerClaims(
    IDbContextFactory<SustainDbContext> databases,
    GitHubProof github,
    GitHubAccessTokens tokens,
    UserManager<SustainUser> users,
    IOptions<MaintainerOptions> options,
    TimeProvider time)
{
    public const int ReasonLength = 2000;

    private const string Busy = "Someone else changed this claim at the same moment; reload the page and try again.";

    /// <summary>Starts a claim on <paramref name="repository"/> (<c>github.com/owner/repo</c> or any URL of it), proved at once when GitHub says the user administers or maintains it.</summary>
    public async Task<ClaimOutcome> StartAsync(MaintainerActor actor, string? repository, CancellationToken cancellation = default)
    {
        if (actor.GitHubLogin is null)
            return ClaimOutcome.Refused("Link your GitHub account first: claims are proved through GitHub.");
        if (ParseRepository(repository) is not ({ } owner, { } name, null))
            return ClaimOutcome.Refused(ParseRepository(repository).Error!);

        var (found, failure) = await github.FindRepositoryAsync(owner, name);
        if (found is null)
            return ClaimOutcome.Refused(failure!);
        var key = found.ProjectKey;

        await using var db = await databases.CreateDbContextAsync(cancellation);
        var earlier = await db.MaintainerClaims.AsNoTracking().Where(c => c.ProjectKey == key && c.UserId == actor.UserId).OrderByDescending(c => c.CreatedAt).ToListAsync(cancellation);
        if (earlier.FirstOrDefault(c => ClaimLifecycle.IsOpen(c.State)) is { } open)
            return new ClaimOutcome(true, $"You already have a claim on {key}; it is {Describe(open.State)}.", open.Id, key);
        if (earlier.FirstOrDefault(c => c.State == ClaimState.Rejected) is { } rejected)
            return ClaimOutcome.Refused($"An operator rejected your claim on {key} on {rejected.ClosedAt:d MMMM yyyy}: {rejected.DecisionReason}");

        var now = time.GetUtcNow();
        if (!await db.Projects.AnyAsync(p => p.Key == key, cancellation))
            db.Projects.Add(ProjectResolver.NewProject(key, now));
        var claim = new MaintainerClaim { ProjectKey = key, UserId = actor.UserId, GitHubLogin = actor.GitHubLogin, VerificationToken = NewToken(), CreatedAt = now, LastCheckedAt = now };
        db.MaintainerClaims.Add(claim);
        MaintainerAudit.Record(db, actor, claim, MaintainerAuditAction.ClaimStarted, $"{actor.GitHubLogin} claims {found.Owner}/{found.Name}.", now);

        var proof = await CheckPermissionAsync(actor, found);
        var message = await ApplyAsync(db, actor, claim, proof, now, cancellation);
        await db.SaveChangesAsync(cancellation);
        return new ClaimOutcome(true, message, claim.Id, key);
    }

    /// <summary>Checks a pending claim again: the user's permission, then the committed token. At most once per <c>Maintainers:CheckInterval</c>.</summary>
    public async Task<ClaimOutcome> CheckNowAsync(MaintainerActor actor, Guid claimId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claim = await db.MaintainerClaims.SingleOrDefaultAsync(c => c.Id == claimId && c.UserId == actor.UserId, cancellation);
        if (claim is null)
            return ClaimOutcome.Refused("There is no such claim of yours.");
        if (claim.State != ClaimState.Pending)
            return ClaimOutcome.Refused($"This claim is {Describe(claim.State)}; only a pending claim is checked.");
        var now = time.GetUtcNow();
        var wait = claim.LastCheckedAt + options.Value.CheckInterval - now;
        if (wait > TimeSpan.Zero)
            return ClaimOutcome.Refused($"Checked {Seconds(now - claim.LastCheckedAt!.Value)} ago; GitHub is asked at most once every {Seconds(options.Value.CheckInterval)} per claim. Try again in {Seconds(wait.Value)}.");

        claim.LastCheckedAt = now;
        claim.Revision++;
        var segments = claim.ProjectKey.Split('/');
        var repository = new GitHubRepositoryName(segments[1], segments[2]);
        var proof = await CheckPermissionAsync(actor, repository);
        if (!proof.Proved)
        {
            var committed = await github.CommittedTokenAsync(repository, claim.VerificationToken);
            proof = committed.Proved ? committed : ProofResult.Failed(string.Join(" ", new[] { proof.Failure, committed.Failure }.Where(f => f is not null)));
        }

        var message = await ApplyAsync(db, actor, claim, proof, now, cancellation);
        return await SaveAsync(db, new ClaimOutcome(proof.Proved, message, claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>The invited user joins the project as a maintainer, vouched for by the admin who invited them.</summary>
    public async Task<ClaimOutcome> AcceptInvitationAsync(MaintainerActor actor, Guid invitationId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var invitation = await db.MaintainerInvitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.AcceptedAt == null, cancellation);
        if (invitation is null || actor.GitHubLogin is null || !string.Equals(invitation.NormalizedLogin, actor.GitHubLogin, StringComparison.OrdinalIgnoreCase))
            return ClaimOutcome.Refused("There is no open invitation for your GitHub login.");
        var now = time.GetUtcNow();
        var claim = await db.MaintainerClaims.FirstOrDefaultAsync(c => c.ProjectKey == invitation.ProjectKey && c.UserId == actor.UserId
            && (c.State == ClaimState.Pending || c.State == ClaimState.Verified || c.State == ClaimState.Contested || c.State == ClaimState.Rejected), cancellation);
        if (claim?.State == ClaimState.Rejected)
            return ClaimOutcome.Refused($"An operator rejected your claim on {claim.ProjectKey}; an invitation does not overturn that.");
        if (claim is not null && claim.State != ClaimState.Pending)
            return ClaimOutcome.Refused($"You are already a maintainer of {claim.ProjectKey}.");
        if (claim is null)
        {
            claim = new MaintainerClaim { ProjectKey = invitation.ProjectKey, UserId = actor.UserId, GitHubLogin = actor.GitHubLogin, VerificationToken = NewToken(), CreatedAt = now };
            db.MaintainerClaims.Add(claim);
        }

        var message = await ApplyAsync(db, actor, claim, new ProofResult(ClaimProof.Invitation, null), now, cancellation);
        return await SaveAsync(db, new ClaimOutcome(true, message, claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>A maintainer with their own proof disputes another's verified claim; an operator then rules on it.</summary>
    public async Task<ClaimOutcome> ContestAsync(MaintainerActor actor, Guid claimId, string? reason, CancellationToken cancellation = default)
    {
        if (CheckReason(reason, "why you contest the claim") is { } invalid)
            return ClaimOutcome.Refused(invalid);
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claim = await db.MaintainerClaims.SingleOrDefaultAsync(c => c.Id == claimId, cancellation);
        if (claim is null)
            return ClaimOutcome.Refused("There is no such claim.");
        var own = await db.MaintainerClaims.AsNoTracking().FirstOrDefaultAsync(c => c.ProjectKey == claim.ProjectKey && c.UserId == actor.UserId && c.State == ClaimState.Verified, cancellation);
        if (own is null || own.Proof is ClaimProof.None or ClaimProof.Invitation)
            return ClaimOutcome.Refused($"To contest a claim on {claim.ProjectKey}, first prove your own: a verified claim through your GitHub permission or a committed token (an invitation is not proof).");
        if (own.Id == claim.Id)
            return ClaimOutcome.Refused("You cannot contest your own claim; withdraw it instead.");
        if (ClaimLifecycle.Next(claim.State, ClaimEvent.Contested) is not { } next)
            return ClaimOutcome.Refused($"{claim.GitHubLogin}'s claim is {Describe(claim.State)}; only a verified claim can be contested.");

        var now = time.GetUtcNow();
        claim.State = next;
        claim.ContestedByClaimId = own.Id;
        claim.ContestReason = reason!.Trim();
        claim.Revision++;
        MaintainerAudit.Record(db, actor, claim, MaintainerAuditAction.Contested, $"{actor.Name} contests {claim.GitHubLogin}'s claim: {claim.ContestReason}", now);
        return await SaveAsync(db, new ClaimOutcome(true, $"{claim.GitHubLogin}'s claim is contested; an operator will review it.", claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>An operator rules on a contested claim: upheld, it is verified again; rejected, its holder leaves the project.</summary>
    public async Task<ClaimOutcome> DecideAsync(MaintainerActor actor, Guid claimId, bool uphold, string? reason, CancellationToken cancellation = default)
    {
        if (!actor.IsOperator)
            return ClaimOutcome.Refused("Only an operator rules on contested claims.");
        if (CheckReason(reason, "the reason for your decision") is { } invalid)
            return ClaimOutcome.Refused(invalid);
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claim = await db.MaintainerClaims.SingleOrDefaultAsync(c => c.Id == claimId, cancellation);
        if (claim is null)
            return ClaimOutcome.Refused("There is no such claim.");
        if (ClaimLifecycle.Next(claim.State, uphold ? ClaimEvent.Upheld : ClaimEvent.Rejected) is not { } next)
            return ClaimOutcome.Refused($"{claim.GitHubLogin}'s claim on {claim.ProjectKey} is {Describe(claim.State)}, not contested; there is nothing to decide.");

        var now = time.GetUtcNow();
        claim.State = next;
        claim.DecisionReason = reason!.Trim();
        claim.ContestedByClaimId = null;
        claim.Revision++;
        MaintainerAudit.Record(db, claim.ProjectKey, uphold ? MaintainerAuditAction.ContestUpheld : MaintainerAuditAction.ContestRejected, actor.UserId, actor.OperatorName, claim.Id,
            $"{(uphold ? "Upheld" : "Rejected")} {claim.GitHubLogin}'s claim: {claim.DecisionReason}", now);
        if (!uphold)
        {
            claim.ClosedAt = now;
            await MaintainerSplits.LeaveAsync(db, claim, now, cancellation);
        }

        return await SaveAsync(db, new ClaimOutcome(true, $"{claim.GitHubLogin}'s claim on {claim.ProjectKey} is {(uphold ? "upheld" : "rejected")}.", claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>The claimant gives up their claim; a maintainer's share goes to the others.</summary>
    public async Task<ClaimOutcome> WithdrawAsync(MaintainerActor actor, Guid claimId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claim = await db.MaintainerClaims.SingleOrDefaultAsync(c => c.Id == claimId && c.UserId == actor.UserId, cancellation);
        if (claim is null)
            return ClaimOutcome.Refused("There is no such claim of yours.");
        if (ClaimLifecycle.Next(claim.State, ClaimEvent.Withdrawn) is not { } next)
            return ClaimOutcome.Refused($"This claim is already {Describe(claim.State)}.");
        var now = time.GetUtcNow();
        var wasMaintainer = ClaimLifecycle.IsMaintainer(claim.State);
        claim.State = next;
        claim.ClosedAt = now;
        claim.Revision++;
        MaintainerAudit.Record(db, actor, claim, MaintainerAuditAction.Withdrawn, $"{actor.Name} withdrew their claim.", now);
        if (wasMaintainer)
            await MaintainerSplits.LeaveAsync(db, claim, now, cancellation);
        return await SaveAsync(db, new ClaimOutcome(true, $"Your claim on {claim.ProjectKey} is withdrawn.", claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>An admin invites a GitHub login to join the project as a maintainer.</summary>
    public async Task<ClaimOutcome> InviteAsync(MaintainerActor actor, string projectKey, string? login, CancellationToken cancellation = default)
    {
        var trimmed = (login ?? "").Trim().TrimStart('@');
        if (!GitHubLogin().IsMatch(trimmed))
            return ClaimOutcome.Refused($"'{login}' is not a GitHub login (letters, digits and single hyphens, at most 39 characters).");
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var maintainers = await MaintainerSplits.Maintainers(db, projectKey).AsNoTracking().ToListAsync(cancellation);
        if (!maintainers.Any(c => c.UserId == actor.UserId && c.State == ClaimState.Verified && c.Role == MaintainerRole.Admin))
            return ClaimOutcome.Refused("Only an admin of this project, with a verified claim that is not contested, can invite maintainers.");
        var normalized = trimmed.ToLowerInvariant();
        if (maintainers.Any(c => c.GitHubLogin.Equals(trimmed, StringComparison.OrdinalIgnoreCase)))
            return ClaimOutcome.Refused($"{trimmed} is already a maintainer of {projectKey}.");
        if (await db.MaintainerInvitations.AnyAsync(i => i.ProjectKey == projectKey && i.NormalizedLogin == normalized && i.AcceptedAt == null, cancellation))
            return ClaimOutcome.Refused($"{trimmed} is already invited; they see the invitation on their maintainer page once they sign in with GitHub.");

        var now = time.GetUtcNow();
        db.MaintainerInvitations.Add(new MaintainerInvitation { ProjectKey = projectKey, GitHubLogin = trimmed, NormalizedLogin = normalized, InvitedByUserId = actor.UserId, CreatedAt = now });
        MaintainerAudit.Record(db, projectKey, MaintainerAuditAction.MaintainerInvited, actor.UserId, actor.Name, null, $"{actor.Name} invited {trimmed} to join as a maintainer.", now);
        await db.SaveChangesAsync(cancellation);
        return new ClaimOutcome(true, $"{trimmed} is invited. They accept on their maintainer page after signing in with GitHub, or claim with their own proof.", null, projectKey);
    }

    /// <summary>An admin makes another verified maintainer an admin too.</summary>
    public async Task<ClaimOutcome> AppointAdminAsync(MaintainerActor actor, Guid claimId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claim = await db.MaintainerClaims.SingleOrDefaultAsync(c => c.Id == claimId, cancellation);
        if (claim is null)
            return ClaimOutcome.Refused("There is no such claim.");
        if (!await MaintainerSplits.Maintainers(db, claim.ProjectKey).AnyAsync(c => c.UserId == actor.UserId && c.State == ClaimState.Verified && c.Role == MaintainerRole.Admin, cancellation))
            return ClaimOutcome.Refused("Only an admin of this project, with a verified claim that is not contested, can appoint admins.");
        if (claim.State != ClaimState.Verified || claim.Role == MaintainerRole.Admin)
            return ClaimOutcome.Refused($"{claim.GitHubLogin} is {(claim.Role == MaintainerRole.Admin ? "already an admin" : $"not a verified maintainer ({Describe(claim.State)})")}.");
        var now = time.GetUtcNow();
        claim.Role = MaintainerRole.Admin;
        claim.Revision++;
        MaintainerAudit.Record(db, claim.ProjectKey, MaintainerAuditAction.AdminAppointed, actor.UserId, actor.Name, claim.Id, $"{actor.Name} made {claim.GitHubLogin} an admin.", now);
        return await SaveAsync(db, new ClaimOutcome(true, $"{claim.GitHubLogin} is now an admin of {claim.ProjectKey}.", claim.Id, claim.ProjectKey), cancellation);
    }

    /// <summary>
    /// Reads <c>github.com/owner/repo</c>, <c>owner/repo</c> or any URL of a GitHub repository; anything else
    /// (another host, a non-repository URL, characters GitHub does not allow) is refused with the reason.
    /// </summary>
    public static (string? Owner, string? Name, string? Error) ParseRepository(string? input)
    {
        var text = (input ?? "").Trim();
        if (text.Length == 0)
            return (null, null, "Enter the repository to claim, such as github.com/owner/repo.");
        if (text.Length > 300)
            return (null, null, "That is too long to be a GitHub repository.");
        if (!text.Contains('.', StringComparison.Ordinal) || text.IndexOf('/', StringComparison.Ordinal) < text.IndexOf('.', StringComparison.Ordinal))
            text = text.Contains(':', StringComparison.Ordinal) ? text : "github.com/" + text.TrimStart('/');
        if (!ProjectKey.TryFromRepositoryUrl(text, out var key, out var reason))
            return (null, null, $"That is not a repository: {reason}.");
        var segments = key.Split('/');
        if (segments[0] != "github.com" || segments.Length != 3)
            return (null, null, $"{key} is not on GitHub. Sustain proves claims through GitHub, so only github.com repositories can be claimed for now.");
        if (!GitHubLogin().IsMatch(segments[1]) || !RepositoryName().IsMatch(segments[2]))
            return (null, null, $"{key} is not a valid GitHub repository name.");
        return (segments[1], segments[2], null);
    }

    public static string Describe(ClaimState state) => state switch
    {
        ClaimState.Pending => "pending (waiting for proof)",
        ClaimState.Verified => "verified",
        ClaimState.Contested => "contested (an operator is reviewing it)",
        ClaimState.Rejected => "rejected by an operator",
        ClaimState.Revoked => "withdrawn",
        _ => state.ToString(),
    };

    private async Task<ProofResult> CheckPermissionAsync(MaintainerActor actor, GitHubRepositoryName repository)
    {
        var user = await users.FindByIdAsync(actor.UserId);
        var accessToken = user is null ? null : await tokens.ReadAsync(users, user);
        return accessToken is null
            ? ProofResult.Failed($"Sustain holds no GitHub access for {actor.GitHubLogin}, so it could not check their role (signing in with GitHub again grants it).")
            : await github.PermissionAsync(accessToken, repository, actor.GitHubLogin!);
    }

    /// <summary>Records a check's result on the claim: proved, it is verified and joins the project; not, the reason is kept for the claimant.</summary>
    private static async Task<string> ApplyAsync(SustainDbContext db, MaintainerActor actor, MaintainerClaim claim, ProofResult proof, DateTimeOffset now, CancellationToken cancellation)
    {
        if (!proof.Proved)
        {
            claim.LastCheckFailure = proof.Failure;
            MaintainerAudit.Record(db, actor, claim, MaintainerAuditAction.CheckFailed, proof.Failure ?? "No proof found.", now);
            return $"Not verified yet: {proof.Failure} Commit your verification token to the repository, then press \"Check now\".";
        }

        claim.State = ClaimLifecycle.Next(claim.State, ClaimEvent.Proved) ?? throw new InvalidOperationException($"A {claim.State} claim cannot be proved.");
        claim.Proof = proof.Proof;
        claim.VerifiedAt = now;
        claim.LastCheckFailure = null;
        var normalized = claim.GitHubLogin.ToLowerInvariant();
        foreach (var invitation in await db.MaintainerInvitations.Where(i => i.ProjectKey == claim.ProjectKey && i.NormalizedLogin == normalized && i.AcceptedAt == null).ToListAsync(cancellation))
            invitation.AcceptedAt = now;
        var how = proof.Proof switch
        {
            ClaimProof.Permission => (MaintainerAuditAction.VerifiedByPermission, "GitHub says they administer or maintain the repository"),
            ClaimProof.ClaimFile => (MaintainerAuditAction.VerifiedByToken, $"their token is in {ClaimLocations.ClaimFile}"),
            ClaimProof.FundingJson => (MaintainerAuditAction.VerifiedByToken, $"their token is under \"{ClaimLocations.FundingJsonKey}\" in {ClaimLocations.FundingJson}"),
            _ => (MaintainerAuditAction.InvitationAccepted, "they accepted an admin's invitation"),
        };
        MaintainerAudit.Record(db, actor, claim, how.Item1, $"{claim.GitHubLogin}'s claim is verified: {how.Item2}.", now);
        await MaintainerSplits.JoinAsync(db, claim, now, cancellation);
        return claim.Role == MaintainerRole.Admin
            ? $"Verified: {how.Item2}. You are the project's first maintainer, so you are its admin and receive all of its money until you change the split."
            : $"Verified: {how.Item2}. You are a maintainer of {claim.ProjectKey}; its admins decide your share of the split.";
    }

    private static async Task<ClaimOutcome> SaveAsync(SustainDbContext db, ClaimOutcome outcome, CancellationToken cancellation)
    {
        try
        {
            await db.SaveChangesAsync(cancellation);
            return outcome;
        }
        catch (DbUpdateException)
        {
            return ClaimOutcome.Refused(Busy);
        }
    }

    private static string? CheckReason(string? reason, string what) =>
        string.IsNullOrWhiteSpace(reason) ? $"Give {what}."
        : reason.Trim().Length > ReasonLength ? $"The reason is {reason.Trim().Length:N0} characters; the most is {ReasonLength:N0}."
        : null;

    private static string NewToken() => "sustain-claim-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Seconds(TimeSpan span) => $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex GitHubLogin();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryName();
}
