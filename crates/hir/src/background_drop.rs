//! Values freed on a thread of their own: a large syntax tree takes long to
//! free node by node, and salsa frees the results it evicts while every
//! other thread waits for it.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

/// `T`, freed on the freeing thread when dropped (or where it is, when that
/// thread could not be started).
pub(crate) struct DropInBackground<T: Send + 'static>(Option<T>);

impl<T: Send + 'static> DropInBackground<T> {
    pub(crate) fn new(value: T) -> Self {
        DropInBackground(Some(value))
    }
}

impl<T: Send + 'static> Deref for DropInBackground<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_ref().expect("taken only when dropped")
    }
}

impl<T: Send + 'static> Drop for DropInBackground<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take()
            && let Some(freeing) = freeing_thread()
        {
            // When the thread is gone, the value comes back and is freed here.
            let _ = freeing.send(Box::new(value));
        }
    }
}

impl<T: Send + Clone + 'static> Clone for DropInBackground<T> {
    fn clone(&self) -> Self {
        DropInBackground::new(T::clone(self))
    }
}

impl<T: Send + PartialEq + 'static> PartialEq for DropInBackground<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Send + Eq + 'static> Eq for DropInBackground<T> {}

impl<T: Send + fmt::Debug + 'static> fmt::Debug for DropInBackground<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

/// The channel to the thread that frees what it is sent, started on first
/// use; `None` when it could not be started.
fn freeing_thread() -> Option<&'static Sender<Box<dyn Send>>> {
    static FREEING: OnceLock<Option<Sender<Box<dyn Send>>>> = OnceLock::new();
    FREEING
        .get_or_init(|| {
            let (sender, receiver) = channel::<Box<dyn Send>>();
            std::thread::Builder::new()
                .name("erlkit-free".to_owned())
                .spawn(move || receiver.into_iter().for_each(drop))
                .ok()?;
            Some(sender)
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::DropInBackground;

    struct Flag(Arc<AtomicBool>);

    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_value_is_freed_after_its_holder_is_dropped() {
        let dropped = Arc::new(AtomicBool::new(false));
        let held = DropInBackground::new(Flag(Arc::clone(&dropped)));
        assert!(!dropped.load(Ordering::SeqCst));
        drop(held);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !dropped.load(Ordering::SeqCst) {
            assert!(std::time::Instant::now() < deadline, "never freed");
            std::thread::yield_now();
        }
    }
}
