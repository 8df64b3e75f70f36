//! `lib/resources.js`: the `AWS::ApiGateway::Resource` tree.
//!
//! The framework builds an N-ary tree of path parts from the predefined
//! resources (`provider.apiGateway.restApiResources`) and the events' paths,
//! cuts the branches an external API already has, and flattens the rest
//! into a map `path → node` in pre-order (JavaScript property order, so a
//! top-level path that is all digits comes first).

use std::collections::HashMap;

use super::js::{Jv, Obj, obj, reference, s, str_recv, type_error};
use super::validate::trim_slashes;
use super::{CompileError, Ctx, naming};

#[derive(Clone, Debug, Default)]
pub(crate) struct ResNode {
    pub(crate) path: String,
    pub(crate) path_part: Jv,
    pub(crate) parent: Option<usize>,
    pub(crate) level: usize,
    pub(crate) children: Vec<usize>,
    pub(crate) name: Jv,
    pub(crate) resource_id: Jv,
    pub(crate) resource_logical_id: Option<String>,
    pub(crate) has_method: bool,
    pub(crate) is_cut: bool,
}

/// `apiGatewayResources`: the node arena and the `path → node` map.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<ResNode>,
    /// Path → index into `nodes` (as a number), in JavaScript property order.
    pub(crate) map: Obj,
    /// `this.apiGatewayResources` has been set.
    pub(crate) built: bool,
}

impl Tree {
    fn node(&self, i: usize) -> Option<&ResNode> {
        self.nodes.get(i)
    }

    fn node_mut(&mut self, i: usize) -> Option<&mut ResNode> {
        self.nodes.get_mut(i)
    }

    pub(crate) fn lookup(&self, path: &str) -> Option<usize> {
        match self.map.get(path) {
            Some(Jv::Num(n)) => Some(*n as usize),
            _ => None,
        }
    }

    /// `r[path] = node` keeping JavaScript property order.
    fn insert(&mut self, path: String, index: usize) {
        self.map.set(path, Jv::Num(index as f64));
    }

    /// `(path, node index)` in map order.
    pub(crate) fn entries(&self) -> Vec<(String, usize)> {
        self.map
            .iter()
            .filter_map(|(p, v)| match v {
                Jv::Num(n) => Some((p.clone(), *n as usize)),
                _ => None,
            })
            .collect()
    }

    /// The resource name a path's methods use (`getResourceName`), as a string.
    pub(crate) fn name_of(&self, path: &str) -> String {
        if path.is_empty() || !self.built {
            return String::new();
        }
        self.lookup(path)
            .and_then(|i| self.node(i))
            .map(|n| n.name.to_js_string())
            .unwrap_or_default()
    }

    /// The logical IDs of the resources created for `path` and its ancestors.
    pub(crate) fn logical_ids_for(&self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = self.lookup(path);
        while let Some(i) = cur {
            let Some(n) = self.node(i) else { break };
            if let Some(id) = &n.resource_logical_id {
                out.push(id.clone());
            }
            cur = n.parent;
        }
        out.reverse();
        out
    }

    fn cut_branch(&mut self, node: usize) {
        let Some(parent) = self.node(node).and_then(|n| n.parent) else {
            return;
        };
        let path = self.node(node).map(|n| n.path.clone()).unwrap_or_default();
        let nodes_path: Vec<(usize, String)> = self
            .node(parent)
            .map(|p| {
                p.children
                    .iter()
                    .map(|c| {
                        (
                            *c,
                            self.node(*c).map(|n| n.path.clone()).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(p) = self.node_mut(parent) {
            if p.children.len() <= 1 {
                p.children = Vec::new();
            } else {
                p.children = nodes_path
                    .into_iter()
                    .filter(|(_, cp)| *cp != path)
                    .map(|(c, _)| c)
                    .collect();
                p.is_cut = true;
            }
        }
        if let Some(n) = self.node_mut(node) {
            n.parent = None;
        }
    }
}

/// A resource to place in the tree: a predefined resource or an event's `http`.
struct Applied {
    path: Jv,
    name: Jv,
    resource_id: Jv,
}

impl Ctx<'_> {
    pub(crate) fn compile_resources(&mut self) -> Result<(), CompileError> {
        self.get_resource_paths()?;
        let entries = self.tree.entries();
        for (path, index) in entries {
            let Some(node) = self.tree.node(index).cloned() else {
                continue;
            };
            if node.resource_id.truthy() {
                continue;
            }
            let logical_id = naming::resource_logical_id(&path);
            if let Some(n) = self.tree.node_mut(index) {
                n.resource_logical_id = Some(logical_id.clone());
                n.resource_id = reference(&logical_id);
            }
            let parent_ref = match node.parent {
                Some(p) => self
                    .tree
                    .node(p)
                    .map(|n| n.resource_id.clone())
                    .unwrap_or_default(),
                None => self.rest_api_root_resource_id(),
            };
            let resource = obj([
                ("Type", s("AWS::ApiGateway::Resource")),
                (
                    "Properties",
                    obj([
                        ("ParentId", parent_ref),
                        ("PathPart", node.path_part.clone()),
                        ("RestApiId", self.rest_api_id()),
                    ]),
                ),
            ]);
            self.merge_resource(&logical_id, resource);
        }
        Ok(())
    }

    /// `provider.getApiGatewayPredefinedResources()`.
    fn predefined_resources(&self) -> Vec<Jv> {
        let api = self.api_gateway();
        if !api.truthy() {
            return Vec::new();
        }
        let resources = api.get("restApiResources");
        if !resources.truthy() {
            return Vec::new();
        }
        if let Jv::Arr(items) = resources {
            return items.items();
        }
        resources
            .lodash_entries()
            .into_iter()
            .map(|(path, id)| obj([("path", s(path)), ("resourceId", id)]))
            .collect()
    }

    fn get_resource_paths(&mut self) -> Result<(), CompileError> {
        let mut tree = Tree::default();
        let mut trees = PathList::default();
        let mut predefined_nodes = PathList::default();
        let mut method_nodes = PathList::default();
        let predefined = self.predefined_resources();
        let predefined_loc = self.loc_of(&[
            "provider".into(),
            "apiGateway".into(),
            "restApiResources".into(),
        ]);

        for resource in &predefined {
            let applied = Applied {
                path: resource.read("path").map_err(|e| e.at(predefined_loc))?,
                name: resource.get("name"),
                resource_id: resource.get("resourceId"),
            };
            apply_resource(
                &mut tree,
                &mut trees,
                &mut predefined_nodes,
                &mut method_nodes,
                &applied,
                false,
            )
            .map_err(|e| e.at(predefined_loc))?;
        }
        for event in &self.events {
            let path = event.http.get("path");
            if path.truthy() {
                let applied = Applied {
                    path,
                    name: event.http.get("name"),
                    resource_id: event.http.get("resourceId"),
                };
                apply_resource(
                    &mut tree,
                    &mut trees,
                    &mut predefined_nodes,
                    &mut method_nodes,
                    &applied,
                    true,
                )?;
            }
        }

        // if predefinedResources array is empty, return all paths
        if predefined_nodes.nodes.is_empty() {
            combine_resource_trees(&mut tree, &trees.nodes);
            self.tree = tree;
            return Ok(());
        }

        // if all methods have resource ID already, no need to validate resource trees
        let all_predefined = self.events.iter().all(|event| {
            let path = event.http.get("path").to_js_string();
            predefined_nodes.contains(&path)
        });
        if all_predefined {
            let mut flat = Tree {
                built: true,
                ..Tree::default()
            };
            for resource in &predefined {
                let path = resource.get("path").to_js_string();
                let name = resource.get("name");
                let name = if name.truthy() {
                    name
                } else {
                    let raw_path = resource.get("path");
                    let text = str_recv(&raw_path, "resourcePath", "split")?;
                    s(naming::normalize_path(text))
                };
                let node = ResNode {
                    path: path.clone(),
                    path_part: Jv::Undef,
                    name,
                    resource_id: resource.get("resourceId"),
                    ..ResNode::default()
                };
                flat.nodes.push(node);
                let index = flat.nodes.len() - 1;
                flat.insert(path, index);
            }
            self.tree = flat;
            return Ok(());
        }

        // cut resource branches from trees
        let mut sorted = predefined_nodes.nodes.clone();
        sorted.sort_by_key(|&n| tree.node(n).map_or(0, |node| node.level));
        let mut validated_trees: Vec<usize> = Vec::new();
        for &node in sorted.iter().rev() {
            let mut current = Some(node);
            while let Some(c) = current {
                let Some(parent) = tree.node(c).and_then(|n| n.parent) else {
                    break;
                };
                let Some(p) = tree.node(parent) else { break };
                if p.has_method && !p.resource_id.truthy() {
                    return Err(CompileError::new(format!(
                        "Error: Resource ID for path {} is required",
                        p.path
                    ))
                    .at(predefined_loc)
                    .help("Add that path to `provider.apiGateway.restApiResources`."));
                }
                if p.resource_id.truthy() || p.children.len() > 1 {
                    tree.cut_branch(c);
                    break;
                }
                current = Some(parent);
            }
        }

        // get branches that begin from root resource
        for &node in &method_nodes.nodes {
            let node_path = tree.node(node).map(|n| n.path.clone()).unwrap_or_default();
            let mut iter = Some(node);
            while let Some(it) = iter {
                let Some(n) = tree.node(it).cloned() else {
                    break;
                };
                if n.resource_id.truthy() {
                    tree.cut_branch(it);
                    let seen = validated_trees
                        .iter()
                        .any(|&t| tree.node(t).is_some_and(|tn| tn.path == node_path));
                    if !seen {
                        validated_trees.push(it);
                    }
                    break;
                }
                if n.is_cut || (n.parent.is_none() && n.level > 0) {
                    return Err(CompileError::new(format!(
                        "Error: Resource ID for path {} is required",
                        n.path
                    ))
                    .at(predefined_loc)
                    .help("Add that path to `provider.apiGateway.restApiResources`."));
                }
                match n.parent {
                    None => {
                        validated_trees.push(it);
                        break;
                    }
                    Some(p) => iter = Some(p),
                }
            }
        }

        combine_resource_trees(&mut tree, &validated_trees);
        self.tree = tree;
        Ok(())
    }

    /// `getResourceId(path)`.
    pub(crate) fn get_resource_id(&mut self, path: &str) -> Result<Jv, CompileError> {
        if path.is_empty() {
            return Ok(self.rest_api_root_resource_id());
        }
        let Some(index) = self.tree.lookup(path).filter(|_| self.tree.built) else {
            return Err(CompileError::new(format!(
                "Error: Can not find API Gateway resource from path {path}"
            ))
            .help("Add this path to `provider.apiGateway.restApiResources`."));
        };
        let Some(node) = self.tree.node_mut(index) else {
            return Ok(Jv::Undef);
        };
        if !node.resource_id.truthy()
            && let Some(id) = &node.resource_logical_id
        {
            node.resource_id = reference(id);
        }
        Ok(node.resource_id.clone())
    }

    /// `getResourceName(path)` (a missing path crashes like the framework).
    pub(crate) fn get_resource_name(&self, path: &str) -> Result<Jv, CompileError> {
        if path.is_empty() || !self.tree.built {
            return Ok(s(""));
        }
        match self.tree.lookup(path).and_then(|i| self.tree.node(i)) {
            Some(n) => Ok(n.name.clone()),
            None => Err(type_error(
                "Cannot read properties of undefined (reading 'name')",
            )),
        }
    }
}

/// Tree nodes in first-seen order, at most one per path (a node's path
/// never changes), found by path: `applyResource`'s `trees`,
/// `predefinedNodes` and `methodNodes`, which the framework searches by path.
#[derive(Default)]
struct PathList {
    nodes: Vec<usize>,
    by_path: HashMap<String, usize>,
}

impl PathList {
    fn find(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    fn contains(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Add `node` unless a node with its path is listed already.
    fn push_new(&mut self, node: usize, path: &str) {
        if !self.contains(path) {
            self.by_path.insert(path.to_owned(), node);
            self.nodes.push(node);
        }
    }
}

/// `applyResource`.
fn apply_resource(
    tree: &mut Tree,
    trees: &mut PathList,
    predefined_nodes: &mut PathList,
    method_nodes: &mut PathList,
    resource: &Applied,
    is_method: bool,
) -> Result<(), CompileError> {
    let raw = str_recv(&resource.path, "resource.path", "replace")?;
    let path = trim_slashes(raw);
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut root: Option<usize> = None;
    let mut parent: Option<usize> = None;
    let mut current_path: Option<String> = None;

    for (index, part) in parts.iter().enumerate() {
        let cp = match &current_path {
            Some(c) if !c.is_empty() => format!("{c}/{part}"),
            _ => (*part).to_owned(),
        };
        current_path = Some(cp.clone());
        if root.is_none() {
            root = trees.find(&cp);
        }
        if parent.is_none() {
            parent = root;
        }

        let mut target: Option<usize> = None;
        if let Some(p) = parent.and_then(|p| tree.node(p).map(|n| (p, n))) {
            if p.1.path == cp {
                target = Some(p.0);
            } else if !p.1.children.is_empty() {
                target =
                    p.1.children
                        .iter()
                        .copied()
                        .find(|&c| tree.node(c).is_some_and(|n| n.path == cp));
            }
        }
        let node = match target {
            Some(t) => t,
            None => {
                tree.nodes.push(ResNode {
                    path: cp.clone(),
                    path_part: s(*part),
                    parent,
                    level: index,
                    ..ResNode::default()
                });
                let created = tree.nodes.len() - 1;
                if let Some(p) = parent.and_then(|p| tree.node_mut(p)) {
                    p.children.push(created);
                }
                if root.is_none() {
                    root = Some(created);
                    trees.push_new(created, &cp);
                }
                created
            }
        };

        // applyNodeResource
        if index == last {
            let node_path = tree.node(node).map(|n| n.path.clone()).unwrap_or_default();
            if let Some(n) = tree.node_mut(node) {
                n.name = resource.name.clone();
            }
            if resource.resource_id.truthy() {
                if let Some(n) = tree.node_mut(node) {
                    n.resource_id = resource.resource_id.clone();
                }
                predefined_nodes.push_new(node, &node_path);
            }
            let has_method = tree.node(node).is_some_and(|n| n.has_method);
            if is_method && !has_method {
                if let Some(n) = tree.node_mut(node) {
                    n.has_method = true;
                }
                method_nodes.push_new(node, &node_path);
            }
        }
        parent = Some(node);
    }
    Ok(())
}

/// `combineResourceTrees`: pre-order, naming nodes that have no name.
fn combine_resource_trees(tree: &mut Tree, roots: &[usize]) {
    fn walk(tree: &mut Tree, node: usize) {
        let Some(n) = tree.node(node) else { return };
        let path = n.path.clone();
        tree.insert(path.clone(), node);
        if let Some(n) = tree.node_mut(node)
            && !n.name.truthy()
        {
            n.name = s(naming::normalize_path(&path));
        }
        let children = tree
            .node(node)
            .map(|n| n.children.clone())
            .unwrap_or_default();
        for c in children {
            walk(tree, c);
        }
    }
    for &r in roots {
        walk(tree, r);
    }
    tree.built = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(paths: &[&str]) -> Tree {
        let mut tree = Tree::default();
        let mut trees = PathList::default();
        let (mut p, mut m) = (PathList::default(), PathList::default());
        for path in paths {
            let applied = Applied {
                path: s(*path),
                name: Jv::Undef,
                resource_id: Jv::Undef,
            };
            let _ = apply_resource(&mut tree, &mut trees, &mut p, &mut m, &applied, true);
        }
        combine_resource_trees(&mut tree, &trees.nodes);
        tree
    }

    #[test]
    fn pre_order_with_numeric_top_level_first() {
        let tree = build(&["users/{id}", "items", "users/create", "2020/x"]);
        let paths: Vec<_> = tree.entries().into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "2020",
                "users",
                "users/{id}",
                "users/create",
                "items",
                "2020/x"
            ]
        );
        assert_eq!(tree.name_of("users/{id}"), "UsersIdVar");
    }

    #[test]
    fn a_leading_empty_part_becomes_a_node() {
        let tree = build(&["//a"]);
        let paths: Vec<_> = tree.entries().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["", "a"]);
    }
}
