//! Counts of storage and messaging operations, for the benchmark (`GET /dev/ops`, dev only). Per isolate; cheap enough
//! to keep on in production, where nothing reads them.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy)]
pub enum Op {
    KvRead,
    KvWrite,
    DurableObjectCall,
    QueueSend,
}

static COUNTS: [AtomicU64; 4] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

pub fn count(op: Op) {
    COUNTS[op as usize].fetch_add(1, Ordering::Relaxed);
}

#[derive(Debug, Serialize)]
pub struct OpCounts {
    pub kv_reads: u64,
    pub kv_writes: u64,
    pub durable_object_calls: u64,
    pub queue_sends: u64,
}

pub fn snapshot() -> OpCounts {
    let get = |op: Op| COUNTS[op as usize].load(Ordering::Relaxed);
    OpCounts {
        kv_reads: get(Op::KvRead),
        kv_writes: get(Op::KvWrite),
        durable_object_calls: get(Op::DurableObjectCall),
        queue_sends: get(Op::QueueSend),
    }
}
