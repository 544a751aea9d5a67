import TradepostCore
import TradepostJobs

extension TradepostConfig {
    var jobsOptions: JobsOptions {
        var options = JobsOptions()
        options.lease = .seconds(jobLeaseSeconds)
        options.shutdownGrace = .seconds(jobShutdownGraceSeconds)
        options.retention = .seconds(jobRetentionDays * 86400)
        options.pollInterval = .seconds(min(5, max(1, jobLeaseSeconds / 3)))
        return options
    }
}
