// Deliberate rule breakers: the checker must find these (see The_checker_fails_on_a_sample_that_breaks_the_rules).
namespace RenderOwl.Architecture.Tests.Samples.Domain.Identity
{
    public sealed class SampleUser
    {
        public string Email { get; set; } = "";
    }
}

namespace RenderOwl.Architecture.Tests.Samples.Domain.Projects
{
    public sealed class ProjectThatReadsUsers
    {
        public Identity.SampleUser? Owner { get; set; }
    }

    public sealed class ProjectThatTouchesTheDatabase
    {
        public RenderOwl.Infrastructure.Persistence.AppDbContext? Db { get; set; }
    }
}
