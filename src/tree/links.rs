//! The links between nodes as a graph, and reachability over it, for the
//! graph checks of [`super::validate`].

use std::collections::VecDeque;

/// The links of every node as one flat list: node `i`'s targets are
/// `targets[starts[i]..starts[i + 1]]` (two allocations for the whole
/// graph instead of one per node).
pub(super) struct Edges {
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Edges {
    pub fn with_capacity(nodes: usize) -> Self {
        Self {
            starts: Vec::with_capacity(nodes + 1),
            targets: Vec::with_capacity(nodes * 2),
        }
    }

    /// Begins the next node's links (called once per node, in order).
    pub fn start_node(&mut self) {
        self.starts.push(self.targets.len());
    }

    pub fn push(&mut self, target: usize) {
        self.targets.push(target);
    }

    /// Ends the last node's links.
    pub fn finish(&mut self) {
        self.starts.push(self.targets.len());
    }

    pub fn of(&self, i: usize) -> &[usize] {
        &self.targets[self.starts[i]..self.starts[i + 1]]
    }

    /// The same links pointing the other way.
    pub fn reversed(&self) -> Edges {
        let n = self.starts.len().saturating_sub(1);
        let mut starts = vec![0; n + 1];
        for &j in &self.targets {
            starts[j + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next_slot = starts.clone();
        let mut targets = vec![0; self.targets.len()];
        for i in 0..n {
            for &j in self.of(i) {
                targets[next_slot[j]] = i;
                next_slot[j] += 1;
            }
        }
        Edges { starts, targets }
    }
}

/// Nodes reachable from `from` along `edges` (breadth first, no recursion,
/// so a 10,000-node chain cannot overflow the stack).
pub(super) fn reach(n: usize, edges: &Edges, from: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for i in from {
        if !seen[i] {
            seen[i] = true;
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        for &j in edges.of(i) {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(lists: &[&[usize]]) -> Edges {
        let mut e = Edges::with_capacity(lists.len());
        for list in lists {
            e.start_node();
            for &j in *list {
                e.push(j);
            }
        }
        e.finish();
        e
    }

    #[test]
    fn reversal_keeps_every_link() {
        let e = edges(&[&[1, 2], &[2], &[0, 2], &[]]);
        let r = e.reversed();
        assert_eq!(r.of(0), [2]);
        assert_eq!(r.of(1), [0]);
        assert_eq!(r.of(2), [0, 1, 2]);
        assert!(r.of(3).is_empty());
    }

    #[test]
    fn reach_follows_links_only_forward() {
        let e = edges(&[&[1], &[2], &[1], &[0]]);
        assert_eq!(reach(4, &e, [0]), [true, true, true, false]);
        assert_eq!(reach(4, &e.reversed(), [2]), [true, true, true, true]);
        assert_eq!(reach(4, &e, []), [false; 4]);
    }
}
