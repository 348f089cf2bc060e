//! The limits `verify --live` keeps towards production endpoints: at most
//! `--concurrency` requests in flight and at most `--rate` requests started per
//! second, both counted over the two endpoints together.
//!
//! The rate is a fixed spacing (1/rate) between request starts rather than a
//! bucket that lets a burst through: a probe run is thousands of requests, and
//! an even trickle is what an operator expects from "N per second".

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Shared by every request of a run.
#[derive(Debug, Clone)]
pub struct Pace {
    slots: Arc<Semaphore>,
    /// The earliest start of the next request; `None`: no rate limit.
    next: Option<Arc<Mutex<Instant>>>,
    spacing: Duration,
}

impl Pace {
    /// `concurrency` ≥ 1 requests at once; `rate` requests per second (`0`: unlimited).
    pub fn new(concurrency: usize, rate: f64) -> Pace {
        let spacing = if rate > 0.0 && rate.is_finite() {
            Duration::from_secs_f64(1.0 / rate)
        } else {
            Duration::ZERO
        };
        Pace {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            next: (!spacing.is_zero()).then(|| Arc::new(Mutex::new(Instant::now()))),
            spacing,
        }
    }

    /// Waits for a free slot, then for the request's start time; the slot is
    /// held until the returned permit is dropped (the request ended).
    pub async fn start(&self) -> Option<OwnedSemaphorePermit> {
        let permit = self.slots.clone().acquire_owned().await.ok()?;
        if let Some(next) = &self.next {
            let at = {
                let mut next = next.lock().await;
                let at = (*next).max(Instant::now());
                *next = at + self.spacing;
                at
            };
            tokio::time::sleep_until(at).await;
        }
        Some(permit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_slots() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let pace = Pace::new(2, 50.0);
            let t0 = Instant::now();
            let mut starts = Vec::new();
            for _ in 0..5 {
                let _p = pace.start().await;
                starts.push(t0.elapsed());
            }
            // Five starts 20 ms apart: at least 80 ms in all.
            assert!(starts[4] >= Duration::from_millis(80), "{starts:?}");
            let a = pace.start().await;
            let b = pace.start().await;
            assert!(a.is_some() && b.is_some());
            assert_eq!(pace.slots.available_permits(), 0, "two slots in use");
        });
    }
}
